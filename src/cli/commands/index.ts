// The `kuan` commands, in the order `kuan --help` lists them. A new command is one module in this
// folder exporting a `Command`, and one entry here.
import type { Command } from '../command.ts';
import { scheduleCommand } from './schedule.ts';

export const commands: readonly Command[] = [scheduleCommand];

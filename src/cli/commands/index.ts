// The `kuan` commands, in the order `kuan --help` lists them. A new command is one module in this
// folder exporting a `Command`, and one entry here.
import type { Command } from '../command.ts';
import { auditCommand } from './audit.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import { casesCommand } from './cases.ts';
import { configCommand } from './config.ts';
import { contactsCommand } from './contacts.ts';
import { dayCommand } from './day.ts';
import { demoCommand } from './demo.ts';
import { doctorCommand } from './doctor.ts';
import { eodCommand } from './eod.ts';
import { experimentsCommand } from './experiments.ts';
import { importLoansCommand } from './import-loans.ts';
import { paymentsCommand } from './payments.ts';
import { scheduleCommand } from './schedule.ts';
import { serveCommand } from './serve.ts';
import { simulateCommand } from './simulate.ts';
import { staffCommand } from './staff.ts';

export const commands: readonly Command[] = [
  demoCommand,
  scheduleCommand,
  eodCommand,
  dayCommand,
  simulateCommand,
  contactsCommand,
  importLoansCommand,
  paymentsCommand,
  casesCommand,
  experimentsCommand,
  serveCommand,
  staffCommand,
  auditCommand,
  doctorCommand,
  configCommand,
  backupCommand,
  restoreCommand,
];

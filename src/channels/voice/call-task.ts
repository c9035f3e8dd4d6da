// The voice channel: Kuan does not dial. A voice contact becomes a call task for an agent (or an outbound
// dialer integration) handed to a sink; the task id is the messageId, so a resend is the same task and a
// sink that keeps tasks by id creates it once.
//
// The file sink (createFileCallTaskSink, JSON Lines, one task a line) is idempotent by task id across
// crashes. The dispatcher records a send only after the sink resolved, so a crash after the write and
// before that record makes it send the same task again after restart. Crash atomicity, argued:
// - On first use the sink reads the file and indexes the ids of its complete lines; a task whose id is
//   there is not written again, whichever process wrote it.
// - A task is one `write` of one line ending in "\n" on a file opened for append, then fsync, before the
//   sink resolves: a task the dispatcher recorded as sent is on disk.
// - A crash in the middle of that write can leave a torn last line (no "\n"). The index reads only
//   complete lines, and the torn tail is cut off (truncated to the last "\n") before anything is
//   appended, so the retry writes the task whole, once, and no line is ever two tasks glued together.
// - Within a process, writes go one at a time (a promise chain), so two sends of one id cannot both miss
//   the index. One dispatcher process writes a given file (as the dispatcher's claim of a contact already
//   ensures one sender per task); two processes appending the same file are not supported.
import { open, readFile, truncate } from 'node:fs/promises';
import {
  rejected,
  retryable,
  sendCodes,
  type ChannelAdapter,
  type OutboundMessage,
  type SendOutcome,
} from '../channel.ts';

export interface CallTask {
  /** = the messageId. */
  taskId: string;
  borrowerId: string;
  /** E.164. */
  phone: string;
  loanIds: string[];
  /** What the agent says (the rendered body). */
  script: string;
  /** The agent reads it out, so the borrower can check the call in the portal. */
  verificationCode: string;
  locale: string;
  createdAtMs: number;
}

export type CallTaskSink = (task: CallTask) => Promise<void>;

const e164 = /^\+[1-9]\d{6,14}$/;

export function createVoiceTaskChannel(sink: CallTaskSink, options: { now?: () => number } = {}): ChannelAdapter {
  const now = options.now ?? Date.now;
  return {
    channel: 'voice',
    name: 'call-task',
    async send(message: OutboundMessage): Promise<SendOutcome> {
      if (!e164.test(message.to)) return rejected(sendCodes.invalidAddress, `not an E.164 number: ${message.to}`);
      const task: CallTask = {
        taskId: message.messageId,
        borrowerId: message.borrowerId,
        phone: message.to,
        loanIds: [...message.loanIds],
        script: message.body,
        verificationCode: message.verificationCode,
        locale: message.locale,
        createdAtMs: now(),
      };
      try {
        await sink(task);
      } catch (error) {
        return retryable(
          sendCodes.adapterError,
          `call task not stored: ${error instanceof Error ? error.message : ''}`,
        );
      }
      return { outcome: 'accepted', providerMessageId: task.taskId };
    },
  };
}

/** An in-memory sink for tests and the simulator: tasks by id, the first one kept for a repeated id. */
export function createMemoryCallTaskSink(): { sink: CallTaskSink; tasks: () => CallTask[] } {
  const byId = new Map<string, CallTask>();
  return {
    sink: async (task) => {
      if (!byId.has(task.taskId)) byId.set(task.taskId, task);
    },
    tasks: () => [...byId.values()],
  };
}

/** The ids of the complete lines of a JSON Lines file, and where its last complete line ends. */
function indexTaskLines(text: string): { ids: Set<string>; completeBytes: number } {
  const ids = new Set<string>();
  const lastNewline = text.lastIndexOf('\n');
  const complete = lastNewline < 0 ? '' : text.slice(0, lastNewline + 1);
  for (const line of complete.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = JSON.parse(line) as { taskId?: unknown };
      if (typeof parsed.taskId === 'string') ids.add(parsed.taskId);
    } catch {
      // A line someone else damaged: not a task of ours, kept as it is.
    }
  }
  return { ids, completeBytes: Buffer.byteLength(complete, 'utf8') };
}

/**
 * A sink appending each task as one JSON line to `path`, at most once per task id — also when the same
 * task comes again after a crash (see the first comment of this file for why that holds).
 */
export function createFileCallTaskSink(path: string): CallTaskSink {
  let ids: Set<string> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const load = async (): Promise<Set<string>> => {
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const index = indexTaskLines(text);
    if (index.completeBytes < Buffer.byteLength(text, 'utf8')) await truncate(path, index.completeBytes);
    return index.ids;
  };
  const write = async (task: CallTask): Promise<void> => {
    ids ??= await load();
    if (ids.has(task.taskId)) return;
    const handle = await open(path, 'a');
    try {
      await handle.write(`${JSON.stringify(task)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    ids.add(task.taskId);
  };
  return (task) => {
    const done = queue.then(() => write(task));
    // A failed write must not block the next one; its own caller still sees the failure.
    queue = done.catch(() => undefined);
    return done;
  };
}

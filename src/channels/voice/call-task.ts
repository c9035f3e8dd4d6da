// The voice channel: Kuan does not dial. A voice contact becomes a call task for an agent (or an outbound
// dialer integration) handed to a sink; the task id is the messageId, so a resend is the same task and a
// sink that keeps tasks by id creates it once.
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

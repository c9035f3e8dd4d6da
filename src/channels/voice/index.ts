// Voice: a contact becomes a call task for an agent.
export {
  createFileCallTaskSink,
  createMemoryCallTaskSink,
  createVoiceTaskChannel,
  type CallTask,
  type CallTaskSink,
} from './call-task.ts';

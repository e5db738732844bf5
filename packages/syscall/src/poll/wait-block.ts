import type { WaitSource } from '@tskern/sched';
import type { Block, SyscallReturn } from '../block';
import type { PollEnding } from './poll-select-timeout';

/**
 * The sleep of poll and select between passes: woken by any of the files'
 * queues, the deadline or a signal; a signal lets `ending` write the time
 * left back first (poll_select_finish on -ERESTARTNOHAND).
 */
export function waitBlock(reason: string, on: WaitSource[], restart: Block['restart'], retry: () => SyscallReturn, ending: PollEnding): Block {
  const { deadline } = ending;
  return {
    reason, on, restart, retry,
    cancel: () => {},
    ...(deadline === undefined ? {} : { deadline }),
    ...(ending.interrupted === undefined ? {} : { interrupted: () => ending.interrupted?.() ?? true }),
  };
}

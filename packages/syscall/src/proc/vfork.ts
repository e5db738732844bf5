import { CLONE } from '@tskern/abi';
import { waitOn } from '@tskern/sched';
import type { Task } from '@tskern/tasks';
import type { Block, SyscallReturn } from '../block';

/**
 * The parent's side of CLONE_VFORK (kernel/fork.c wait_for_vfork_done):
 * clone answers the child's tid only once the child exec'd or exited. The
 * wait is killable only (TASK_KILLABLE): other signals wait until it ends.
 * The child's `vforkDone` queue (woken by the task table when the child
 * releases the memory: complete_vfork_done) is the wait source.
 */
export function vforkWait(child: Task, flags: number): SyscallReturn {
  const tid = child.tid;
  if ((flags & CLONE.CLONE_VFORK) === 0) return tid;
  // mm_release → complete_vfork_done: the child exited, or exec'd (so no
  // longer runs in the address space it had at clone, borrowed or copied).
  const borrowed = child.mm;
  const done = (): boolean => !child.alive || child.mm !== borrowed;
  if (done()) return tid;
  const block: Block = {
    reason: `vfork(${tid})`,
    ...(child.vforkDone !== null ? { on: [waitOn(child.vforkDone)] } : {}),
    restart: 'never',
    killable: true,
    retry: () => (done() ? tid : block),
    cancel: () => {},
  };
  return block;
}

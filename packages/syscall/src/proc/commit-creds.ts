import type { Task } from '@tskern/tasks';
import type { Credentials } from '@tskern/vfs';
import { coreDumpSettingsOf } from '../coredump/core-settings';

/**
 * commit_creds (kernel/cred.c): `next` becomes the task's credentials. A
 * change of the effective or file-system uid or gid, or permitted
 * capabilities the old credentials did not have, makes the process
 * dumpable only as fs.suid_dumpable says (set_dumpable(mm, suid_dumpable)):
 * by default a process that switched identity writes no core and
 * PR_GET_DUMPABLE answers 0.
 */
export function commitCreds(task: Task, next: Credentials): void {
  const old = task.cred;
  if (old.euid !== next.euid || old.egid !== next.egid || old.fsuid !== next.fsuid || old.fsgid !== next.fsgid ||
    (next.caps.permitted & ~old.caps.permitted) !== 0n) {
    task.group.dumpable = coreDumpSettingsOf(task.kernel.tasks).suidDumpable;
  }
  task.cred = next;
}

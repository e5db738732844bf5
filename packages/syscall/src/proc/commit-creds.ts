import type { Task } from '@tskern/tasks';
import type { Credentials } from '@tskern/vfs';
import { coreDumpSettingsOf } from '../coredump/core-settings';

/**
 * commit_creds (kernel/cred.c): `next` becomes the task's credentials. A
 * change of the effective or file-system uid or gid (which gaining
 * capabilities needs in tskern, where they follow euid 0) makes the process
 * dumpable only as fs.suid_dumpable says (set_dumpable(mm, suid_dumpable)):
 * by default a process that switched identity writes no core and
 * PR_GET_DUMPABLE answers 0.
 */
export function commitCreds(task: Task, next: Credentials): void {
  const old = task.cred;
  if (old.euid !== next.euid || old.egid !== next.egid || old.fsuid !== next.fsuid || old.fsgid !== next.fsgid) {
    task.group.dumpable = coreDumpSettingsOf(task.kernel.tasks).suidDumpable;
  }
  task.cred = next;
}

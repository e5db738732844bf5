import { Errno } from '@tskern/abi';
import type { TaskTable } from '@tskern/tasks';

/** CORENAME_MAX_SIZE (fs/coredump.c): core_pattern holds at most 127 bytes and its NUL. */
export const CORENAME_MAX_SIZE = 128;

/**
 * The kernel-wide core dump sysctls (fs/coredump.c's core_pattern and
 * core_uses_pid, fs/exec.c's suid_dumpable): one object per kernel, which
 * /proc/sys/kernel/core_pattern, /proc/sys/kernel/core_uses_pid and
 * /proc/sys/fs/suid_dumpable read and write (the composition root hands
 * procfs entries bound to it) and the core dump reads.
 */
export class CoreDumpSettings {
  /** kernel.core_pattern: "core" until set (a byte string, one char per byte). */
  private patternText = 'core';
  /** kernel.core_uses_pid: nonzero appends ".<pid>" to a pattern without %p. */
  usesPid = 0;
  /**
   * fs.suid_dumpable: 0 (SUID_DUMP_DISABLE, the default), 1 (SUID_DUMP_USER)
   * or 2 (SUID_DUMP_ROOT); what a process whose credentials changed becomes
   * dumpable as.
   */
  private suidDumpableValue = 0;

  get pattern(): string {
    return this.patternText;
  }

  /** Set core_pattern; longer text keeps its first CORENAME_MAX_SIZE - 1 bytes, as proc_dostring does. */
  set pattern(text: string) {
    this.patternText = text.slice(0, CORENAME_MAX_SIZE - 1);
  }

  get suidDumpable(): number {
    return this.suidDumpableValue;
  }

  /** Set suid_dumpable: 0, 1 or 2, else -EINVAL (proc_dointvec_minmax_coredump's range); 0 on success. */
  setSuidDumpable(value: number): number {
    if (!Number.isInteger(value) || value < 0 || value > 2) return -Errno.EINVAL;
    this.suidDumpableValue = value;
    return 0;
  }
}

const byTable = new WeakMap<TaskTable, CoreDumpSettings>();

/** The core dump settings of the kernel of `tasks` (made with Linux's defaults on first use). */
export function coreDumpSettingsOf(tasks: TaskTable): CoreDumpSettings {
  let s = byTable.get(tasks);
  if (s === undefined) byTable.set(tasks, (s = new CoreDumpSettings()));
  return s;
}

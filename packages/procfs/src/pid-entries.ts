import { Errno } from '@tskern/abi';
import { bytesFromByteString, type FileOperations, type FsCaller } from '@tskern/vfs';
import type { ProcessDirectory } from './process-directory';
import type { PidDir } from './pid-dir';
import { mayReadProcess } from './ptrace-access';
import { SeqFile } from './seq-file';
import { formatStatus } from './status';

/** One file of /proc/[pid] (an entry of Linux's tgid_base_stuff). */
export interface PidEntry {
  readonly name: string;
  /** Permission bits (all of them read-only here: S_IRUGO). */
  readonly perm: number;
  /** Whether the process directory offers it (it needs an optional ProcessDirectory method). */
  available(processes: ProcessDirectory): boolean;
  /** The open-time checks and the per-open reader. */
  open(dir: PidDir, caller: FsCaller): FileOperations | number;
}

const S_IRUGO = 0o444;

/** Text as a byte string's bytes (paths in maps are byte strings). */
function bytes(text: string): Uint8Array {
  return bytesFromByteString(text);
}

/**
 * status (proc_single_open + proc_pid_status): anyone may open it; a read
 * once the process is gone is ESRCH.
 */
const status: PidEntry = {
  name: 'status',
  perm: S_IRUGO,
  available: (p) => p.status !== undefined,
  open: (dir) =>
    new SeqFile(() => {
      const s = dir.alive ? dir.processes.status?.(dir.pid) : undefined;
      return s === undefined ? -Errno.ESRCH : bytes(formatStatus(dir.pid, s));
    }),
};

/**
 * maps (fs/proc/task_mmu.c:proc_maps_open + show_map): opening needs the
 * right to read the process's memory (ptrace read access, EACCES); a process
 * gone before the open is ESRCH, after it reads as empty (m_start finds no mm).
 */
const maps: PidEntry = {
  name: 'maps',
  perm: S_IRUGO,
  available: () => true,
  open: (dir, caller) => {
    const owner = dir.owner();
    if (owner === undefined) return -Errno.ESRCH;
    if (!mayReadProcess(caller, dir.pid, owner)) return -Errno.EACCES;
    return new SeqFile(() => bytes((dir.alive ? dir.processes.maps(dir.pid) : undefined) ?? ''));
  },
};

/** mounts (fs/proc_namespace.c:mounts_open): ESRCH once the process is gone. */
const mounts: PidEntry = {
  name: 'mounts',
  perm: S_IRUGO,
  available: (p) => p.mounts !== undefined,
  open: (dir) => {
    if (!dir.alive) return -Errno.ESRCH;
    return new SeqFile(() => bytes((dir.alive ? dir.processes.mounts?.(dir.pid) : undefined) ?? ''));
  },
};

/** The files of /proc/[pid], in Linux's order (tgid_base_stuff: status, then maps, then mounts). */
export const PID_ENTRIES: readonly PidEntry[] = [status, maps, mounts];

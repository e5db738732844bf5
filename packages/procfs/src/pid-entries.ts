import { Errno } from '@tskern/abi';
import { bytesFromByteString, type FileOperations, type FsCaller } from '@tskern/vfs';
import type { ProcessDirectory } from './process-directory';
import type { PidDir } from './pid-dir';
import { mayReadProcess, procMemOpen } from './ptrace-access';
import { SeqFile } from './seq-file';
import { formatStatus } from './status';
import { MEMORY_ENTRIES } from './memory-entries';
import { coredumpFilter } from './coredump-filter';
import { cgroupEntry } from './cgroup-entry';

/** One file of /proc/[pid] (an entry of Linux's tgid_base_stuff). */
export interface PidEntry {
  readonly name: string;
  /** Permission bits (all of them read-only here: S_IRUGO). */
  readonly perm: number;
  /** Whether the process directory offers it (it needs an optional ProcessDirectory method). */
  available(processes: ProcessDirectory): boolean;
  /** The open-time checks and the per-open reader (a file entry). */
  open(dir: PidDir, caller: FsCaller): FileOperations | number;
  /** A symlink entry's body for `caller`, or -errno (the entry is a symlink when present). */
  link?(dir: PidDir, caller: FsCaller): string | number;
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
  open: (dir, caller) => procMemOpen(dir, caller, () => new SeqFile(() => bytes((dir.alive ? dir.processes.maps(dir.pid) : undefined) ?? ''))),
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

/** mountinfo (fs/proc_namespace.c:mountinfo_open): ESRCH once the process is gone. */
const mountinfo: PidEntry = {
  name: 'mountinfo',
  perm: S_IRUGO,
  available: (p) => p.mountinfo !== undefined,
  open: (dir) => {
    if (!dir.alive) return -Errno.ESRCH;
    return new SeqFile(() => bytes((dir.alive ? dir.processes.mountinfo?.(dir.pid) : undefined) ?? ''));
  },
};

/** TASK_COMM_LEN less the NUL. */
const COMM_MAX = 15;

/**
 * comm (fs/proc/base.c comm_show / comm_write): the command name and a
 * newline, unescaped; mode 0644. A write sets the name to its first 15
 * bytes as written (a trailing newline included) from a thread of the same
 * process, else EINVAL; it answers the whole count.
 */
const comm: PidEntry = {
  name: 'comm',
  perm: 0o644,
  available: (p) => p.status !== undefined,
  open: (dir, caller) => {
    const seq = new SeqFile(() => {
      const s = dir.alive ? dir.processes.status?.(dir.pid) : undefined;
      return s === undefined ? -Errno.ESRCH : bytes(`${s.name.slice(0, COMM_MAX)}\n`);
    });
    const write = (_pos: number, src: Uint8Array, srcOffset: number, length: number): number => {
      const set = dir.processes.setComm;
      if (set === undefined || !dir.alive) return -Errno.ESRCH;
      let name = '';
      for (let i = 0; i < Math.min(length, COMM_MAX); i++) name += String.fromCharCode(src[srcOffset + i]!);
      const r = set(dir.pid, caller.pid, name);
      return r < 0 ? r : length;
    };
    return { read: seq.read, llseek: seq.llseek, release: seq.release, write };
  },
};

/**
 * cmdline (proc_pid_cmdline_read): the arguments, each ended by a NUL;
 * anyone may read it; empty once the process has no memory (a zombie).
 */
const cmdline: PidEntry = {
  name: 'cmdline',
  perm: S_IRUGO,
  available: (p) => p.cmdline !== undefined,
  open: (dir) =>
    new SeqFile(() => {
      const argv = dir.alive ? dir.processes.cmdline?.(dir.pid) : undefined;
      return bytes((argv ?? []).map((a) => `${a}\0`).join(''));
    }),
};

/**
 * exe (proc_exe_link): a symlink to the executable's path; reading it
 * needs the right to read the process (proc_fd_access_allowed: EACCES),
 * and a process with no executable (or gone) is ENOENT.
 */
const exe: PidEntry = {
  name: 'exe',
  perm: 0o777,
  available: (p) => p.exe !== undefined,
  open: () => -Errno.ELOOP,
  link: (dir, caller) => {
    const owner = dir.owner();
    if (owner === undefined) return -Errno.ENOENT;
    if (!mayReadProcess(caller, dir.pid, owner)) return -Errno.EACCES;
    return dir.processes.exe?.(dir.pid) ?? -Errno.ENOENT;
  },
};

/** The files of /proc/[pid], in Linux's order (tgid_base_stuff: status, comm, cmdline, maps, exe, mounts, mountinfo, coredump_filter, cgroup, then the memory files). */
export const PID_ENTRIES: readonly PidEntry[] = [status, comm, cmdline, maps, exe, mounts, mountinfo, coredumpFilter, cgroupEntry, ...MEMORY_ENTRIES];

import type { ProcessState, ProcessStatus } from './process-directory';

/** Longest command name: TASK_COMM_LEN (16) less the NUL. */
export const TASK_COMM_MAX = 15;

/** fs/proc/array.c:task_state_array, the State line. */
const STATE_TEXT: Record<ProcessState, string> = {
  running: 'R (running)',
  sleeping: 'S (sleeping)',
  stopped: 'T (stopped)',
  zombie: 'Z (zombie)',
  dead: 'X (dead)',
};

/** A fresh Linux process's fd table size (NR_OPEN_DEFAULT on 64-bit). */
const DEFAULT_FD_SIZE = 64;

/**
 * proc_task_name with escaping: the first 15 bytes of comm, with "\n" and
 * "\\" escaped (seq_escape_str with ESCAPE_SPACE | ESCAPE_SPECIAL and only "\n\\").
 */
function taskName(name: string): string {
  return name.slice(0, TASK_COMM_MAX).replace(/[\n\\]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/**
 * The text of /proc/[pid]/status as fs/proc/array.c:proc_pid_status and
 * task_state print it, from Name through Groups (with the trailing space
 * Linux keeps after the groups), then VmLck when the locked size is known,
 * then the Cap* lines when the sets are known. The other lines Linux prints
 * after Groups (NStgid..., VmSize, Sig*, ...) are left out: readers look
 * lines up by key.
 * A zombie (no fs, no files) has no Umask line and FDSize 0, as on Linux.
 */
export function formatStatus(pid: number, s: ProcessStatus): string {
  const zombie = s.state === 'zombie' || s.state === 'dead';
  let out = `Name:\t${taskName(s.name)}\n`;
  if (s.umask !== undefined && !zombie) out += `Umask:\t${s.umask.toString(8).padStart(4, '0')}\n`; // %#04o
  out += `State:\t${STATE_TEXT[s.state]}\n`;
  out += `Tgid:\t${s.tgid ?? pid}\nNgid:\t0\nPid:\t${pid}\nPPid:\t${s.ppid}\nTracerPid:\t0\n`;
  out += `Uid:\t${s.uid}\t${s.euid ?? s.uid}\t${s.suid ?? s.uid}\t${s.fsuid ?? s.uid}\n`;
  out += `Gid:\t${s.gid}\t${s.egid ?? s.gid}\t${s.sgid ?? s.gid}\t${s.fsgid ?? s.gid}\n`;
  out += `FDSize:\t${zombie ? 0 : (s.fdSize ?? DEFAULT_FD_SIZE)}\n`;
  out += `Groups:\t${(s.groups ?? []).join(' ')} \n`;
  // task_mem: "VmLck:" and the kB figure right-aligned in 8 columns; a zombie has no mm.
  if (s.lockedBytes !== undefined && !zombie) out += `VmLck:\t${String(Math.floor(s.lockedBytes / 1024)).padStart(8)} kB\n`;
  // task_cap: each set as %016llx (render_cap_t), a zombie's too (its credentials outlive its mm).
  if (s.caps !== undefined) {
    const hex = (set: bigint) => set.toString(16).padStart(16, '0');
    const c = s.caps;
    out += `CapInh:\t${hex(c.inheritable)}\nCapPrm:\t${hex(c.permitted)}\nCapEff:\t${hex(c.effective)}\n`;
    out += `CapBnd:\t${hex(c.bounding)}\nCapAmb:\t${hex(c.ambient)}\n`;
  }
  return out;
}

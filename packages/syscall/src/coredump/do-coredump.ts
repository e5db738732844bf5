import { O, PAGE_SIZE, RLIMIT } from '@tskern/abi';
import { encodeSignalSet, type SigInfo, type SignalSet } from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { blockingServices } from '../blocking/services';
import { limitsOf } from '../proc/rlimits';
import { systemConfig } from '../system/system-config';
import { coreArchOf } from './core-arch';
import { coreMappedFiles, coreSegments } from './core-mappings';
import { formatCoreName } from './core-name';
import { auxvNote, fileNote, prpsinfoNote, prstatusNote, siginfoNote } from './core-notes';
import { coreDumpSettingsOf } from './core-settings';
import { writeElfCore, type CoreSink } from './elf-core-file';
import { NT, type ElfNote } from './elf-note';

/** PF_FORKNOEXEC, PF_DUMPCORE, PF_SIGNALED (include/linux/sched.h): what pr_flag shows of a dumping task. */
const PF_FORKNOEXEC = 0x40;
const PF_DUMPCORE = 0x200;
const PF_SIGNALED = 0x400;

/** A signal set as the first word of a sigset_t (pr_sigpend, pr_sighold). */
function sigWord(set: SignalSet): bigint {
  const bytes = new Uint8Array(8);
  encodeSignalSet(set, bytes);
  return new DataView(bytes.buffer).getBigUint64(0, true);
}

/**
 * The notes of a core (fill_note_info + write_note_info): the dumping
 * thread's NT_PRSTATUS, then the process's NT_PRPSINFO, NT_SIGINFO and
 * NT_AUXV (for an image execve loaded) and NT_FILE, then that thread's
 * other register notes, then each other thread's.
 */
function coreNotes(task: Task, info: SigInfo): ElfNote[] {
  const arch = coreArchOf(task.abi.name)!;
  const group = task.group;
  const threads = [task, ...[...group.tasks].filter((t) => t !== task && t.alive)];
  const notes: ElfNote[] = [];
  threads.forEach((t, i) => {
    const fp = arch.fpregs(t.userContext);
    // fill_prstatus: a leader reports the process's times, another thread its own.
    let userNs = t.cpuTime.userNs;
    let systemNs = t.cpuTime.systemNs;
    if (t === group.leader) {
      userNs = group.usage.exited.userNs;
      systemNs = group.usage.exited.systemNs;
      for (const u of group.tasks) {
        userNs += u.cpuTime.userNs;
        systemNs += u.cpuTime.systemNs;
      }
    }
    notes.push(prstatusNote({
      // get_signal dequeued the dumping signal before do_coredump: it is not pending there.
      signal: info.signo, pending: sigWord(i === 0 ? t.pending.signals.remove(info.signo) : t.pending.signals), blocked: sigWord(t.sigmask),
      tid: t.tid, ppid: group.ppid, pgrp: group.pgid, sid: group.sid, userNs, systemNs,
      childUserNs: group.usage.children.userNs, childSystemNs: group.usage.children.systemNs,
      gregs: arch.gregs(t.userContext), fpValid: fp !== null,
    }));
    if (i === 0) {
      notes.push(prpsinfoNote({
        flags: PF_DUMPCORE | PF_SIGNALED | (group.forkNoExec ? PF_FORKNOEXEC : 0),
        uid: task.cred.uid, gid: task.cred.gid, pid: group.tgid, ppid: group.ppid, pgrp: group.pgid, sid: group.sid,
        comm: task.comm, argv: group.argv,
      }));
      notes.push(siginfoNote(info));
      if (group.auxv.length > 0) notes.push(auxvNote(group.auxv));
      const files = coreMappedFiles(task.mm);
      if (files.length > 0) notes.push(fileNote(files, PAGE_SIZE));
    }
    if (fp !== null) notes.push({ name: 'CORE', type: NT.NT_PRFPREG, desc: fp });
  });
  return notes;
}

/** RLIM_INFINITY and anything past 2^53 bytes: no limit a dump can reach. */
function limitBytes(limit: bigint): number {
  return limit >= 2n ** 53n ? Infinity : Number(limit);
}

/**
 * do_coredump (fs/coredump.c) for `task`, which a core-dumping signal
 * (`info`) is about to kill: true when a core file was begun, which makes
 * the wait status carry WCOREDUMP. Nothing is written when the
 * process is not dumpable (prctl PR_SET_DUMPABLE 0), when RLIMIT_CORE is
 * below a page (binfmt->min_coredump), or when core_pattern pipes to a
 * helper (`|...`: tskern runs no user-mode helpers, so such a dump is not
 * supported and is skipped). Otherwise the named file is unlinked,
 * created afresh with O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600 (less the
 * umask), as the task, relative to its working directory, and filled with
 * an ELF core (elf_core_dump); the dump stops where it would pass
 * RLIMIT_CORE, leaving a truncated file (which still counts as dumped).
 */
export function doCoredump(task: Task, info: SigInfo): boolean {
  const group = task.group;
  const arch = coreArchOf(task.abi.name);
  if (arch === undefined || group.dumpable === 0 || task.mm.released) return false;
  const settings = coreDumpSettingsOf(task.kernel.tasks);
  const limitValue = limitsOf(task).cur[RLIMIT.RLIMIT_CORE]!;
  const core = formatCoreName(settings.pattern, settings.usesPid !== 0, {
    tgid: group.tgid, tid: task.tid, uid: task.cred.uid, gid: task.cred.gid, dumpable: group.dumpable,
    signal: info.signo, timeSeconds: Number(blockingServices(task).clock.realtimeNs() / 1_000_000_000n),
    hostname: systemConfig(task).hostname, comm: task.comm, exePath: group.exePath ?? group.program,
    coreLimit: limitValue, cpu: 0,
  });
  const limit = limitBytes(limitValue);
  if (core.pipe || core.name === '' || limit < PAGE_SIZE) return false;
  // SUID_DUMP_ROOT (2) dumps only to an absolute path (need_suid_safe).
  if (group.dumpable === 2 && !core.name.startsWith('/')) return false;
  const vfs = task.kernel.vfs;
  if (group.dumpable !== 2) vfs.unlink(task, core.name);
  const file = vfs.open(task, core.name, O.O_CREAT | O.O_EXCL | O.O_WRONLY | O.O_NOFOLLOW | O.O_LARGEFILE, 0o600);
  if (typeof file === 'number') return false;
  const sink: CoreSink = {
    // dump_emit: nothing past RLIMIT_CORE; a short or failed write ends the dump.
    write: (offset, bytes) => offset + bytes.length <= limit && file.pwrite(bytes, 0, bytes.length, offset, task.cred) === bytes.length,
  };
  // elf_core_dump answers has_dumped = 1 once the notes are collected, before
  // the first write: a dump cut short by RLIMIT_CORE (or a failed write) still
  // sets WCOREDUMP. Only a dump never begun (no file) leaves it clear.
  writeElfCore(sink, arch.machine, coreNotes(task, info), coreSegments(task.mm, group.coredumpFilter), PAGE_SIZE);
  file.decRef();
  return true;
}

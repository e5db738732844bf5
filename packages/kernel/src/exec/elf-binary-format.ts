import { Errno, MAP, PAGE_SIZE, PROT } from '@tskern/abi';
import type { RandomSource } from '@tskern/devices';
import {
  EM_RISCV, ExecArgs, RISCV64_SV39_LAYOUT, applyElfLoadPlan, buildInitialStack, planElfLoad, resolveExec, riscv64DlInfo,
  riscvHwcap, type ExecFile, type ExecLayout,
} from '@tskern/elf';
import { AddressSpace, mapStack, mmap, mprotect, setProgramBreak, store, type MemoryOptions } from '@tskern/mman';
import { RISCV64_RT_SIGFRAME, RV_PC, RV_SP, riscv64UserContext } from '@tskern/syscall';
import type { BinaryFormat, ExecFatal, ExecImage, ExecStrings, Task } from '@tskern/tasks';
import type { FileSystem, OpenFileDescription, Vfs } from '@tskern/vfs';
import { addressSpaceExecMemory } from './exec-memory';
import { openExec, type ExecHandle } from './open-exec';

/** What setup_arg_pages adds below the argument pages (stack_expand, fs/exec.c). */
const STACK_EXPAND = 128 * 1024;
/** The least gap mmap_base keeps below the stack (mm/util.c MIN_GAP, 128 MiB without randomisation). */
const MIN_GAP = 128 * 1024 * 1024;
/** stack_guard_gap's default: 256 pages (mm/mmap.c). */
const STACK_GUARD_GAP = 256 * PAGE_SIZE;

/**
 * mm/util.c mmap_base without randomisation: the stack's RLIMIT_STACK plus
 * the guard gap below the top, at least MIN_GAP and at most 5/6 of the task
 * size. (An unlimited stack selects Linux's legacy bottom-up layout, which
 * tskern does not have; it gets the largest gap instead.)
 */
function mmapBase(taskSize: number, stackLimit: number): number {
  const maxGap = Math.floor(taskSize / 6) * 5;
  const gap = Math.min(Math.max(stackLimit + STACK_GUARD_GAP, MIN_GAP), maxGap);
  return taskSize - Math.ceil(gap / PAGE_SIZE) * PAGE_SIZE;
}
/** What riscv64 reports in AT_HWCAP: RV64GC, the CPU @tskern/rv64 implements. */
const HWCAP = riscvHwcap('imafdc');
/** rt_sigreturn's number on riscv64 (asm-generic). */
const NR_RT_SIGRETURN = 139;
/** `li a7, 139; ecall`: the code of __vdso_rt_sigreturn. */
const SIGRETURN_CODE = [(NR_RT_SIGRETURN << 20) | (17 << 7) | 0x13, 0x00000073];

/** What the ELF format needs from the kernel it serves. */
export interface ElfBinaryFormatOptions {
  readonly vfs: Vfs;
  /** The kernel's memory options; each new address space gets the personality's task size. */
  readonly memory: MemoryOptions;
  /** AT_RANDOM's 16 bytes. */
  readonly random: RandomSource;
  /** Whether files of a file system may not be executed (a noexec mount such as /proc). */
  readonly noexec: (fs: FileSystem) => boolean;
}

/**
 * execve's binary formats for riscv64 tasks (fs/binfmt_script.c and
 * fs/binfmt_elf.c through @tskern/elf): `#!` scripts, static ET_EXEC and
 * static-PIE programs, and dynamic ones with their PT_INTERP loader mapped
 * from the VFS. The image is built in a fresh address space with the Sv39
 * layout; the caller's is untouched until the task table commits the image.
 * Tasks of other architectures get ENOEXEC (tskern runs no x86-64 code).
 */
export class ElfBinaryFormat implements BinaryFormat {
  constructor(private readonly options: ElfBinaryFormatOptions) {}

  load(task: Task, path: string, strings: () => ExecStrings | number): ExecImage | ExecFatal | number {
    const opened: OpenFileDescription[] = [];
    const release = (): void => {
      for (const f of opened.splice(0)) f.decRef();
    };
    const r = this.build(task, path, strings, opened, release);
    if (typeof r === 'number' || 'kind' in r) release();
    return r;
  }

  private build(
    task: Task, path: string, strings: () => ExecStrings | number, opened: OpenFileDescription[], release: () => void,
  ): ExecImage | ExecFatal | number {
    const { vfs, noexec } = this.options;
    const open = (p: string): ExecFile<ExecHandle> | number => openExec(vfs, task, p, noexec, opened);
    const file = open(path);
    if (typeof file === 'number') return file;
    const copied = strings();
    if (typeof copied === 'number') return copied;
    const args = ExecArgs.collect(path, copied.argv, copied.envp, copied.stackLimit);
    if (typeof args === 'number') return args;
    if (task.abi.name !== 'riscv64') return -Errno.ENOEXEC;
    const layout: ExecLayout = RISCV64_SV39_LAYOUT;
    const found = resolveExec(file, path, args, EM_RISCV, open);
    if (typeof found === 'number') return found;
    // The point of no return: from here Linux has torn the old image down.
    const plan = planElfLoad(found.elf, layout);
    if ('kind' in plan) return plan;
    const mm = new AddressSpace({ ...this.options.memory, taskSize: layout.taskSize, mmapBase: mmapBase(layout.taskSize, copied.stackLimit) });
    const loaded = applyElfLoadPlan(plan, addressSpaceExecMemory(mm), layout);
    if ('kind' in loaded) {
      mm.releaseAll();
      return loaded;
    }
    setProgramBreak(mm, loaded.startBrk);
    const trampoline = mapSigreturnTrampoline(mm);
    if (trampoline < 0) {
      mm.releaseAll();
      return { kind: 'fatal', errno: trampoline };
    }
    const random = new Uint8Array(16);
    this.options.random.fill(random, 0, 16);
    const cred = task.cred;
    const initial = buildInitialStack(found.args, {
      ...loaded, hwcap: HWCAP, uid: cred.uid, euid: cred.euid, gid: cred.gid, egid: cred.egid, secure: false,
      arch: riscv64DlInfo({ vdso: 0, minSigStkSz: Math.ceil(RISCV64_RT_SIGFRAME.size / 16) * 16 }),
    }, random, layout.stackTop);
    // setup_arg_pages: [stack] spans the pages of the strings plus stack_expand
    // (128 KiB), within RLIMIT_STACK; it grows down on faults from there.
    const stringPages = layout.stackTop - Math.floor(initial.argStart / PAGE_SIZE) * PAGE_SIZE;
    const stack = mapStack(mm, Math.min(copied.stackLimit, stringPages + STACK_EXPAND));
    if (loaded.stackExecutable) mprotect(mm, stack.start, stack.end - stack.start, PROT.PROT_READ | PROT.PROT_WRITE | PROT.PROT_EXEC);
    if (store(mm, initial.sp, initial.bytes, 0, initial.bytes.length) !== 0) {
      mm.releaseAll();
      return { kind: 'fatal', errno: -Errno.EFAULT };
    }
    // start_thread with ELF_PLAT_INIT: every register zero but pc and sp.
    const ctx = riscv64UserContext(trampoline);
    ctx.regs[RV_PC] = BigInt(loaded.entry);
    ctx.regs[RV_SP] = BigInt(initial.sp);
    return { mm, stack, userContext: ctx, exePath: found.exe.handle.path, filename: path, auxv: initial.auxv, release };
  }
}

/**
 * The page a signal handler returns through (Linux's vDSO
 * __vdso_rt_sigreturn, which tskern does not map as an ELF: AT_SYSINFO_EHDR
 * is 0): placed where mmap chooses after the image, as
 * arch_setup_additional_pages does. Returns its address or -errno.
 */
function mapSigreturnTrampoline(mm: AddressSpace): number {
  const addr = mmap(mm, 0, PAGE_SIZE, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
  if (addr < 0) return addr;
  const code = new Uint8Array(8);
  const view = new DataView(code.buffer);
  view.setUint32(0, SIGRETURN_CODE[0]!, true);
  view.setUint32(4, SIGRETURN_CODE[1]!, true);
  if (store(mm, addr, code, 0, code.length) !== 0) return -Errno.EFAULT;
  const r = mprotect(mm, addr, PAGE_SIZE, PROT.PROT_READ | PROT.PROT_EXEC);
  return r < 0 ? r : addr;
}

import { CLONE, CLONE_ARGS, Errno, PAGE_SIZE, TASK_SIZE } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { vforkWait } from './vfork';

/**
 * clone(2): the five register arguments in the task's architecture's order
 * (x86-64: flags, stack, parent_tid, child_tid, tls; riscv64: flags, stack,
 * parent_tid, tls, child_tid). The low byte of the flags is the exit
 * signal; only the low 32 bits are flags (kernel_clone_args takes
 * lower_32_bits). Returns the child's tid; with CLONE_VFORK only once the
 * child exec'd or exited (a Block until then).
 */
export function sysClone(task: Task, a0: number, a1: number, a2: number, a3: number, a4: number): SyscallReturn {
  const r = task.abi.cloneRegisters(a0, a1, a2, a3, a4);
  const low = r.flags >>> 0;
  const child = task.kernel.tasks.clone(task, {
    flags: (low & ~CLONE.CSIGNAL) >>> 0,
    exitSignal: low & CLONE.CSIGNAL,
    stack: r.stack,
    parentTid: r.parentTid,
    childTid: r.childTid,
    tls: r.tls,
  });
  return typeof child === 'number' ? child : vforkWait(child, low);
}

/** clone3's flags beyond the legacy 32: CLONE_CLEAR_SIGHAND and CLONE_INTO_CGROUP. */
const CLONE_CLEAR_SIGHAND = 0x100000000n;
const CLONE_INTO_CGROUP = 0x200000000n;
const CLONE3_FLAGS = 0xffffffffn | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP;
/** _NSIG: the largest valid signal number. */
const NSIG = 64n;

/**
 * clone3(2) (copy_clone_args_from_user, clone3_args_valid): `size` below
 * CLONE_ARGS_SIZE_VER0 is EINVAL, above a page E2BIG, and bytes past the
 * struct this kernel knows must be zero (E2BIG); an unreadable struct is
 * EFAULT. Then EINVAL for unknown flags, CLONE_DETACHED or exit-signal bits
 * in the flags, an invalid exit signal, an exit signal with CLONE_THREAD or
 * CLONE_PARENT, CLONE_SIGHAND with CLONE_CLEAR_SIGHAND, a stack without a
 * size or a size without a stack (EFAULT for a stack outside user space),
 * and for what tskern does not have (set_tid, cgroups).
 */
export function sysClone3(task: Task, uargs: number, size: number): SyscallReturn {
  if (size < CLONE_ARGS.SIZE_VER0) return -Errno.EINVAL;
  if (size > PAGE_SIZE) return -Errno.E2BIG;
  const known = Math.min(size, CLONE_ARGS.SIZE_VER2);
  const buf = new Uint8Array(CLONE_ARGS.SIZE_VER2);
  if (task.mem.copyIn(uargs, buf, 0, known) < 0) return -Errno.EFAULT;
  if (size > known) {
    const rest = new Uint8Array(size - known);
    if (task.mem.copyIn(uargs + known, rest, 0, rest.length) < 0) return -Errno.EFAULT;
    if (rest.some((b) => b !== 0)) return -Errno.E2BIG;
  }
  const v = new DataView(buf.buffer);
  const field = (at: number): bigint => v.getBigUint64(at, true);
  const flags = field(CLONE_ARGS.flags);
  const exitSignal = field(CLONE_ARGS.exit_signal);
  const stack = field(CLONE_ARGS.stack);
  const stackSize = field(CLONE_ARGS.stack_size);
  if (field(CLONE_ARGS.set_tid_size) !== 0n || field(CLONE_ARGS.set_tid) !== 0n) return -Errno.EINVAL;
  if (exitSignal > NSIG) return -Errno.EINVAL;
  if ((flags & ~CLONE3_FLAGS) !== 0n) return -Errno.EINVAL;
  if ((flags & BigInt(CLONE.CLONE_DETACHED | CLONE.CSIGNAL)) !== 0n) return -Errno.EINVAL;
  if ((flags & CLONE_INTO_CGROUP) !== 0n) return -Errno.EINVAL;
  const low = Number(flags & 0xffffffffn);
  if ((low & CLONE.CLONE_SIGHAND) !== 0 && (flags & CLONE_CLEAR_SIGHAND) !== 0n) return -Errno.EINVAL;
  if ((low & (CLONE.CLONE_THREAD | CLONE.CLONE_PARENT)) !== 0 && exitSignal !== 0n) return -Errno.EINVAL;
  if ((stack === 0n) !== (stackSize === 0n)) return -Errno.EINVAL;
  if (stack !== 0n && stack + stackSize > BigInt(TASK_SIZE)) return -Errno.EFAULT;
  const child = task.kernel.tasks.clone(task, {
    flags: low,
    exitSignal: Number(exitSignal),
    // The stack grows down on both architectures: it starts at its top.
    stack: Number(stack + stackSize),
    parentTid: userAddress(field(CLONE_ARGS.parent_tid)),
    childTid: userAddress(field(CLONE_ARGS.child_tid)),
    tls: userAddress(field(CLONE_ARGS.tls)),
  });
  if (typeof child === 'number') return child;
  if ((flags & CLONE_CLEAR_SIGHAND) !== 0n) child.sighand.resetForExec();
  return vforkWait(child, low);
}

/** A u64 pointer field as a handler number (huge values fault like any bad pointer). */
function userAddress(x: bigint): number {
  return x < 2n ** 53n ? Number(x) : 2 ** 53 - 2 ** 32 + Number(x & 0xffffffffn);
}

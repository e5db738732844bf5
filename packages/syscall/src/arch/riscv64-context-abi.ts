import type { UserContextAbi } from '@tskern/tasks';
import { RV_A0, RV_PC, RV_SP, isRiscv64UserContext, type Riscv64UserContext } from './riscv64-signal-frame';

/** x4, the thread pointer (CLONE_SETTLS sets it). */
export const RV_TP = 4;

/** The size of `ecall`: do_trap_ecall_u advances epc past it before the call runs. */
const ECALL_SIZE = 4n;

/**
 * The results most calls return — 0, small counts and fds, -errno (down to
 * -4095, MAX_ERRNO) — as register values, made once: converting each
 * result took two BigInt allocations per call (2.5% of an mmap + munmap loop).
 */
const SMALL = 4096;
const SMALL_U64: readonly bigint[] = Array.from({ length: 2 * SMALL }, (_, i) => BigInt.asUintN(64, BigInt(i - SMALL)));

function u64(value: number | bigint): bigint {
  if (typeof value === 'number' && (value | 0) === value && value >= -SMALL && value < SMALL) return SMALL_U64[value + SMALL]!;
  return BigInt.asUintN(64, BigInt(value));
}

/**
 * riscv64 user contexts at the syscall boundary. The contract with the
 * CPU: when it hands a call to the kernel, `pc` already points past the
 * `ecall` (as do_trap_ecall_u sets regs->epc += 4), so a completed call
 * resumes at the next instruction and a restart moves pc back 4.
 */
export const riscv64ContextAbi: UserContextAbi = {
  owns: isRiscv64UserContext,
  setReturnValue(ctx, value) {
    if (isRiscv64UserContext(ctx)) ctx.regs[RV_A0] = u64(value);
  },
  // arch/riscv/kernel/signal.c handle_signal (-ERESTARTSYS with SA_RESTART):
  // regs->a0 = regs->orig_a0; regs->epc -= 0x4. a7 (the number) is untouched.
  rewindSyscall(ctx, _nr, a0) {
    if (!isRiscv64UserContext(ctx)) return;
    ctx.regs[RV_A0] = u64(a0);
    ctx.regs[RV_PC] = BigInt.asUintN(64, ctx.regs[RV_PC]! - ECALL_SIZE);
  },
  // arch/riscv/kernel/process.c copy_thread: *childregs = *current regs, a0 = 0,
  // sp = usp when given, tp = tls for CLONE_SETTLS.
  forkContext(ctx, child) {
    const parent = ctx as Riscv64UserContext;
    const copy: Riscv64UserContext = { regs: parent.regs.slice(), fp: parent.fp.slice(), sigreturnTrampoline: parent.sigreturnTrampoline };
    copy.regs[RV_A0] = 0n;
    if (child.stack !== 0) copy.regs[RV_SP] = u64(child.stack);
    if (child.tls !== null) copy.regs[RV_TP] = u64(child.tls);
    return copy;
  },
};

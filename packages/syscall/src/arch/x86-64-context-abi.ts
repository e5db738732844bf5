import type { UserContextAbi } from '@tskern/tasks';
import { X86_REG, isX86_64UserContext, type X86_64UserContext } from './x86-64-signal-frame';

/** The size of `syscall` (0f 05): the CPU's rip already points past it when the kernel runs. */
const SYSCALL_SIZE = 2n;

function u64(value: number | bigint): bigint {
  return BigInt.asUintN(64, BigInt(value));
}

/**
 * x86-64 user contexts at the syscall boundary. The contract with the CPU:
 * when it hands a call to the kernel, rip points past the `syscall`
 * instruction (the hardware saved it in rcx so), rax holds the number.
 */
export const x86_64ContextAbi: UserContextAbi = {
  owns: isX86_64UserContext,
  setReturnValue(ctx, value) {
    if (isX86_64UserContext(ctx)) ctx.regs[X86_REG.rax] = u64(value);
  },
  // arch/x86/kernel/signal.c handle_signal (-ERESTARTSYS with SA_RESTART):
  // regs->ax = regs->orig_ax; regs->ip -= 2.
  rewindSyscall(ctx, nr) {
    if (!isX86_64UserContext(ctx)) return;
    ctx.regs[X86_REG.rax] = u64(nr);
    ctx.regs[X86_REG.orig_rax] = u64(nr);
    ctx.regs[X86_REG.rip] = BigInt.asUintN(64, ctx.regs[X86_REG.rip]! - SYSCALL_SIZE);
  },
  // arch/x86/kernel/process.c copy_thread: the parent's registers, ax = 0,
  // sp = the new stack when given, fs_base = tls for CLONE_SETTLS.
  forkContext(ctx, child) {
    const copy: X86_64UserContext = { regs: (ctx as X86_64UserContext).regs.slice() };
    copy.regs[X86_REG.rax] = 0n;
    if (child.stack !== 0) copy.regs[X86_REG.rsp] = u64(child.stack);
    if (child.tls !== null) copy.regs[X86_REG.fs_base] = u64(child.tls);
    return copy;
  },
};

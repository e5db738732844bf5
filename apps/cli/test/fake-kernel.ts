/**
 * A minimal KernelHost for the CLI's tests: no VFS (mkdir answers ENOSYS),
 * every other syscall succeeds with 0, memory is one readable page of zeros
 * at 0x10000, and the stack takes stores. `munmap` of address 13 throws, to
 * stand for a kernel bug.
 */
import { Errno, FAULT_OK, SYS, Signal, type FaultResult } from '@tskern/abi';
import type { ScenarioKernel } from '@tskern/scenario';

const STACK = { start: 0x7f0000000000, end: 0x7f0000800000 };

export class TinyKernel implements ScenarioKernel {
  private nextPid = 1;
  private readonly alive = new Set<number>();

  registerProgram(): void {}

  spawn(): number {
    const pid = this.nextPid++;
    this.alive.add(pid);
    return pid;
  }

  syscall(pid: number, nr: number, a0 = 0): number {
    if (nr === SYS.mkdir) return -Errno.ENOSYS;
    if (nr === SYS.exit_group) this.alive.delete(pid);
    if (nr === SYS.fork) return this.spawn();
    if (nr === SYS.wait4) return a0;
    if (nr === SYS.munmap && a0 === 13) throw new Error('kernel bug on purpose');
    if (nr === SYS.open) return 3;
    return 0;
  }

  private inStack(addr: number, len: number): boolean {
    return addr >= STACK.start && addr + len <= STACK.end;
  }

  load(_pid: number, addr: number, dst: Uint8Array): FaultResult {
    if (this.inStack(addr, dst.length) || (addr >= 0x10000 && addr + dst.length <= 0x11000)) {
      dst.fill(0);
      return FAULT_OK;
    }
    return Signal.SIGSEGV;
  }

  store(_pid: number, addr: number, src: Uint8Array): FaultResult {
    return this.inStack(addr, src.length) ? FAULT_OK : Signal.SIGSEGV;
  }

  fill(): FaultResult {
    return Signal.SIGSEGV;
  }

  stack(): { start: number; end: number } {
    return STACK;
  }

  isAlive(pid: number): boolean {
    return this.alive.has(pid);
  }
}

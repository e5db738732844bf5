/**
 * A minimal KernelHost for the CLI's tests: the kit's ZeroKernel, with
 * processes that die at exit_group and forks that make new ones, no VFS
 * (mkdir answers ENOSYS), open answering fd 3, memory that is one readable
 * page of zeros at 0x10000 plus the stack (stores only to the stack; every
 * other access is SIGSEGV), and `munmap` of address 13 throwing, to stand
 * for a kernel bug.
 */
import { Errno, FAULT_OK, SYS, Signal, type FaultResult } from '@tskern/abi';
import type { ScenarioKernel } from '@tskern/scenario';
import { ZeroKernel } from '@tskern/test-kit';

export class TinyKernel extends ZeroKernel implements ScenarioKernel {
  private readonly alive = new Set<number>();

  override spawn(): number {
    const pid = super.spawn();
    this.alive.add(pid);
    return pid;
  }

  override syscall(pid: number, nr: number, a0: number | bigint = 0): number {
    if (nr === SYS.mkdir) return -Errno.ENOSYS;
    if (nr === SYS.exit_group) this.alive.delete(pid);
    if (nr === SYS.fork) return this.spawn();
    if (nr === SYS.wait4) return Number(a0);
    if (nr === SYS.munmap && a0 === 13) throw new Error('kernel bug on purpose');
    if (nr === SYS.open) return 3;
    return 0;
  }

  private inStack(addr: number, len: number): boolean {
    return addr >= ZeroKernel.STACK.start && addr + len <= ZeroKernel.STACK.end;
  }

  override load(pid: number, addr: number, dst: Uint8Array): FaultResult {
    if (this.inStack(addr, dst.length) || (addr >= 0x10000 && addr + dst.length <= 0x11000)) return super.load(pid, addr, dst);
    return Signal.SIGSEGV;
  }

  override store(_pid: number, addr: number, src: Uint8Array): FaultResult {
    return this.inStack(addr, src.length) ? FAULT_OK : Signal.SIGSEGV;
  }

  override fill(): FaultResult {
    return Signal.SIGSEGV;
  }

  override isAlive(pid: number): boolean {
    return this.alive.has(pid);
  }
}

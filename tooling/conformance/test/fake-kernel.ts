/**
 * A fake kernel module for the suite's tests (imported in-process, and by
 * the worker through its `kernelModule` specifier): the kit's ZeroKernel
 * (every syscall answers 0, memory reads as zeros) except that a load at
 * address 13 throws (a kernel bug) and at address 14 never returns (a hung
 * kernel). The throw stays in this file: the suite's test finds it in the
 * reported stack trace.
 */
import type { FaultResult } from '@tskern/abi';
import { ZeroKernel } from '@tskern/test-kit';

export class FakeKernel extends ZeroKernel {
  override load(pid: number, addr: number, dst: Uint8Array): FaultResult {
    if (addr === 13) throw new TypeError('fake kernel bug');
    if (addr === 14) for (;;);
    return super.load(pid, addr, dst);
  }
}

export function createKernel(): FakeKernel {
  return new FakeKernel();
}

/**
 * A fake kernel module for the suite's tests (imported in-process, and by
 * the worker through its `kernelModule` specifier). Every syscall answers 0;
 * memory reads as zeros; a load at address 13 throws (a kernel bug) and at
 * address 14 never returns (a hung kernel).
 */
import type { ScenarioKernel } from '@tskern/scenario';

const STACK = { start: 0x7f0000000000, end: 0x7f0000800000 };

export class FakeKernel implements ScenarioKernel {
  private nextPid = 1;
  registerProgram(): void {}
  spawn(): number {
    return this.nextPid++;
  }
  syscall(): number {
    return 0;
  }
  // Every access succeeds: 0 is the FaultResult of an access that may proceed.
  load(_pid: number, addr: number, dst: Uint8Array): 0 {
    if (addr === 13) throw new TypeError('fake kernel bug');
    if (addr === 14) for (;;);
    dst.fill(0);
    return 0;
  }
  store(): 0 {
    return 0;
  }
  fill(): 0 {
    return 0;
  }
  stack(): { start: number; end: number } {
    return STACK;
  }
  isAlive(): boolean {
    return true;
  }
}

export function createKernel(): FakeKernel {
  return new FakeKernel();
}

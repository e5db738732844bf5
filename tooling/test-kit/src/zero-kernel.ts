import { FAULT_OK, type FaultResult } from '@tskern/abi';
/**
 * The smallest fake kernel host, for tests of what drives a kernel (the CLI,
 * the conformance suite) rather than of a kernel: every process gets the next
 * pid from 1 and stays alive, every syscall answers 0, memory reads as zeros
 * and takes every store, and every process has the same 8 MiB stack. A test
 * subclasses it to model the one behaviour it needs (a kernel that throws,
 * hangs or refuses a call).
 *
 * It has the shape of `@tskern/syscall`'s `KernelHost` (the scenario
 * runner's `ScenarioKernel`) without importing either, so the kit stays below
 * every package whose tests use it; TypeScript checks the fit where a test
 * hands it to the runner.
 */
export class ZeroKernel {
  /** The stack every process has: [start, end). */
  static readonly STACK: { readonly start: number; readonly end: number } = {
    start: 0x7f0000000000,
    end: 0x7f0000800000,
  };

  private nextPid = 1;

  /** Program images are not run: registering one does nothing. */
  registerProgram(): void {}

  spawn(): number {
    return this.nextPid++;
  }

  syscall(_pid: number, _nr: number, ..._args: (number | bigint | undefined)[]): number {
    return 0;
  }

  /** The exact result (`KernelHost.syscallExact`): the same as `syscall`, whose results here are small. */
  syscallExact(pid: number, nr: number, ...args: (number | bigint | undefined)[]): number | bigint {
    return this.syscall(pid, nr, ...args);
  }

  load(_pid: number, _addr: number, dst: Uint8Array): FaultResult {
    dst.fill(0);
    return FAULT_OK;
  }

  store(_pid: number, _addr: number, _src: Uint8Array): FaultResult {
    return FAULT_OK;
  }

  fill(_pid: number, _addr: number, _length: number, _byte: number): FaultResult {
    return FAULT_OK;
  }

  stack(_pid: number): { start: number; end: number } {
    return { ...ZeroKernel.STACK };
  }

  isAlive(_pid: number): boolean {
    return true;
  }
}

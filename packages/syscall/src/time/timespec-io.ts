import { Errno } from '@tskern/abi';
import { timespecFromNs, timespecToNs } from '@tskern/sched';
import type { UserMemory } from '@tskern/tasks';

/** `struct timespec` / `struct __kernel_timespec` on 64-bit: two 64-bit fields. */
export const TIMESPEC_SIZE = 16;

/** Copy a timespec in: ns, -EFAULT, or -EINVAL when not valid (timespec64_valid). */
export function readTimespec(mem: UserMemory, addr: number): number {
  const b = new Uint8Array(TIMESPEC_SIZE);
  if (mem.copyIn(addr, b, 0, TIMESPEC_SIZE) < 0) return -Errno.EFAULT;
  const v = new DataView(b.buffer);
  const ns = timespecToNs(v.getBigInt64(0, true), v.getBigInt64(8, true));
  return ns === null ? -Errno.EINVAL : ns;
}

/** Copy a time in ns out as a timespec: 0 or -EFAULT. */
export function writeTimespec(mem: UserMemory, addr: number, ns: bigint): number {
  const { sec, nsec } = timespecFromNs(ns);
  const b = new Uint8Array(TIMESPEC_SIZE);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(sec), true);
  v.setBigInt64(8, BigInt(nsec), true);
  return mem.copyOut(addr, b, 0, TIMESPEC_SIZE) < 0 ? -Errno.EFAULT : 0;
}

import { SYS_RISCV64 as SYS } from '@tskern/abi';
import { encodeI, encodeS, encodeU } from '@tskern/rv64';
import { describe, expect, it } from 'vitest';
import { ProgramDriver } from './program-driver';
import { ECALL, ProgramWorld, REG, addi, tinyProgram } from './testing/program-world';

const T0 = 5;
const S0 = 8;
const S1 = 9;
const K = 4096;

/** li rd, value for a 32-bit value (lui + addiw; the result is sign-extended, which a `uint` argument drops). */
function li32(rd: number, value: number): number[] {
  const low = ((value & 0xfff) << 20) >> 20;
  return [encodeU(0x37, rd, (value - low) >>> 0), encodeI(0x1b, rd, 0, rd, low)];
}

const sd = (base: number, rs: number, off: number): number => encodeS(0x23, 3, base, rs, off);

/**
 * userfaultfd(0); UFFDIO_API; mmap one private anonymous page; register it
 * for missing faults; then load its first byte and exit_group(byte + 5).
 */
const FAULTING_PROGRAM = [
  addi(REG.sp, REG.sp, -64),
  addi(REG.a0, 0, 0), addi(REG.a7, 0, SYS.userfaultfd), ECALL,
  addi(S0, REG.a0, 0),
  addi(T0, 0, 0xaa), sd(REG.sp, T0, 0), sd(REG.sp, 0, 8), sd(REG.sp, 0, 16),
  addi(REG.a0, S0, 0), ...li32(REG.a1, 0xc018aa3f), addi(REG.a2, REG.sp, 0), addi(REG.a7, 0, SYS.ioctl), ECALL,
  addi(REG.a0, 0, 0), encodeU(0x37, REG.a1, K), addi(REG.a2, 0, 3), addi(REG.a3, 0, 0x22), addi(REG.a4, 0, -1), addi(REG.a5, 0, 0),
  addi(REG.a7, 0, SYS.mmap), ECALL,
  addi(S1, REG.a0, 0),
  sd(REG.sp, S1, 0), encodeU(0x37, T0, K), sd(REG.sp, T0, 8), addi(T0, 0, 1), sd(REG.sp, T0, 16), sd(REG.sp, 0, 24),
  addi(REG.a0, S0, 0), ...li32(REG.a1, 0xc020aa00), addi(REG.a2, REG.sp, 0), addi(REG.a7, 0, SYS.ioctl), ECALL,
  encodeI(0x03, REG.a0, 0, S1, 0), // lb a0, 0(s1): the missing page
  addi(REG.a0, REG.a0, 5), addi(REG.a7, 0, SYS.exit_group), ECALL,
];

describe('a userfaultfd missing page in the driver', () => {
  it('parks the faulting thread (no signal, no page); closing the userfaultfd wakes it and the load reruns as an ordinary fault', () => {
    const w = new ProgramWorld();
    w.put('/bin/uffd', tinyProgram(FAULTING_PROGRAM));
    const pid = w.start({ path: '/bin/uffd' });
    const driver = new ProgramDriver(w.kernel);
    const first = driver.run(pid);
    // The only thread sleeps in the fault: nothing can wake it but the handler.
    expect(first.kind).toBe('deadlock');
    expect(first.kind === 'deadlock' ? first.message : '').toMatch(/userfaultfd 0x[0-9a-f]+/);
    const task = w.kernel.tasks.get(pid)!;
    const page = [...task.mm.vmas].find((s) => s.value.uffd !== null)!;
    expect(task.mm.pt.flags(page.start / K)).toBe(0); // nothing was allocated
    expect(task.alive).toBe(true);
    expect(w.kernel.runtime.blockOf(pid)?.reason).toMatch(/^userfaultfd/);
    // userfaultfd_release: the registration goes and the waiter wakes; the load then maps a zero page.
    expect(task.files.close(3)).toBe(0);
    expect(driver.run(pid)).toEqual({ kind: 'exited', status: 5, signal: 0 });
  });
});

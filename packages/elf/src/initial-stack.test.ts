import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { u64 } from './bytes';
import { AUXV } from './constants';
import { ExecArgs } from './exec-args';
import { buildInitialStack, type AuxvParams } from './initial-stack';
import { RISCV64_SV39_TASK_SIZE as TOP } from './layout';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 50);
const RANDOM = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const AUX: AuxvParams = {
  phdr: 0x10040, phnum: 4, interpreterBase: 0, programEntry: 0x10120,
  hwcap: 0x112d, uid: 1000, euid: 1000, gid: 100, egid: 100, secure: false,
};

/** The NUL-terminated string at `addr` in a stack image starting at `sp`. */
function cstr(bytes: Uint8Array, sp: number, addr: number): string {
  const from = addr - sp;
  return new TextDecoder().decode(bytes.subarray(from, bytes.indexOf(0, from)));
}

describe('buildInitialStack (create_elf_tables)', () => {
  it('lays the stack out exactly as Linux does', () => {
    const args = ExecArgs.collect('/bin/prog', ['/bin/prog', 'a'], ['X=1'], 8 << 20) as ExecArgs;
    const st = buildInitialStack(args, AUX, RANDOM, TOP);
    // From the top: a zero word, "/bin/prog\0" (AT_EXECFN), "X=1\0", then
    // "a\0" and "/bin/prog\0" (argv[0] lowest), then the 16 random bytes.
    expect(st.execfn).toBe(TOP - 8 - 10);
    expect(st.envp).toEqual([TOP - 18 - 4]);
    expect(st.argv).toEqual([TOP - 22 - 2 - 10, TOP - 22 - 2]);
    expect(st.random).toBe(TOP - 34 - 16);
    expect([st.argStart, st.argEnd, st.envStart, st.envEnd]).toEqual([TOP - 34, TOP - 22, TOP - 22, TOP - 18]);
    // 16 auxv pairs and AT_NULL (34 words) and 6 words (argc, 2 argv, NULL,
    // 1 envp, NULL) below the random bytes, rounded down to 16: TOP - 384.
    expect(st.sp).toBe(TOP - 384);
    expect(st.bytes.length).toBe(384);
    const word = (i: number) => u64(st.bytes, i * 8);
    expect([word(0), word(1), word(2), word(3), word(4), word(5)]).toEqual([2, st.argv[0], st.argv[1], 0, st.envp[0], 0]);
    const auxv: [number, number][] = [];
    for (let i = 6; i < 6 + 34; i += 2) auxv.push([word(i), word(i + 1)]);
    expect(auxv).toEqual([
      [AUXV.AT_HWCAP, 0x112d], [AUXV.AT_PAGESZ, 4096], [AUXV.AT_CLKTCK, 100], [AUXV.AT_PHDR, 0x10040],
      [AUXV.AT_PHENT, 56], [AUXV.AT_PHNUM, 4], [AUXV.AT_BASE, 0], [AUXV.AT_FLAGS, 0], [AUXV.AT_ENTRY, 0x10120],
      [AUXV.AT_UID, 1000], [AUXV.AT_EUID, 1000], [AUXV.AT_GID, 100], [AUXV.AT_EGID, 100], [AUXV.AT_SECURE, 0],
      [AUXV.AT_RANDOM, TOP - 50], [AUXV.AT_EXECFN, TOP - 18], [AUXV.AT_NULL, 0],
    ]);
    expect(st.auxv).toEqual(auxv.slice(0, -1));
    // The 14 bytes between AT_NULL and the random bytes, and the top word, are zero.
    expect([...st.bytes.subarray(320, 334)].every((b) => b === 0)).toBe(true);
    expect([...st.bytes.subarray(334, 350)]).toEqual([...RANDOM]);
    expect(cstr(st.bytes, st.sp, st.argv[0]!)).toBe('/bin/prog');
    expect(cstr(st.bytes, st.sp, st.envp[0]!)).toBe('X=1');
    expect([...st.bytes.subarray(376)]).toEqual(new Array(8).fill(0));
  });

  it('puts ARCH_DLINFO first, AT_HWCAP2 after AT_RANDOM and AT_PLATFORM last, its string above the random bytes', () => {
    const args = ExecArgs.collect('p', ['p'], [], 8 << 20) as ExecArgs;
    const st = buildInitialStack(args, { ...AUX, arch: [[AUXV.AT_MINSIGSTKSZ, 4352]], hwcap2: 3, platform: 'rv64' }, RANDOM, TOP);
    expect(st.auxv.map(([t]) => t)).toEqual([
      AUXV.AT_MINSIGSTKSZ, AUXV.AT_HWCAP, AUXV.AT_PAGESZ, AUXV.AT_CLKTCK, AUXV.AT_PHDR, AUXV.AT_PHENT, AUXV.AT_PHNUM, AUXV.AT_BASE,
      AUXV.AT_FLAGS, AUXV.AT_ENTRY, AUXV.AT_UID, AUXV.AT_EUID, AUXV.AT_GID, AUXV.AT_EGID, AUXV.AT_SECURE, AUXV.AT_RANDOM,
      AUXV.AT_HWCAP2, AUXV.AT_EXECFN, AUXV.AT_PLATFORM,
    ]);
    expect(st.platform).toBe(st.argStart - 5);
    expect(st.random).toBe(st.platform - 16);
    expect(cstr(st.bytes, st.sp, st.platform)).toBe('rv64');
  });

  it('keeps sp 16-byte aligned and every pointer on its string, for any arguments', () => {
    const str = fc.string({ maxLength: 40 }).filter((s) => !s.includes('\0'));
    fc.assert(fc.property(fc.array(str, { maxLength: 12 }), fc.array(str, { maxLength: 12 }), str, (argv, envp, name) => {
      const args = ExecArgs.collect(name, argv, envp, 8 << 20) as ExecArgs;
      const st = buildInitialStack(args, { ...AUX, secure: true }, RANDOM, TOP);
      expect(st.sp % 16).toBe(0);
      expect(st.sp + st.bytes.length).toBe(TOP);
      const want = argv.length === 0 ? [''] : argv;
      expect(u64(st.bytes, 0)).toBe(want.length);
      want.forEach((s, i) => {
        expect(u64(st.bytes, 8 + i * 8)).toBe(st.argv[i]);
        expect(cstr(st.bytes, st.sp, st.argv[i]!)).toBe(s);
      });
      envp.forEach((s, i) => expect(cstr(st.bytes, st.sp, st.envp[i]!)).toBe(s));
      expect(cstr(st.bytes, st.sp, st.execfn)).toBe(name);
      expect(st.auxv.find(([t]) => t === AUXV.AT_SECURE)?.[1]).toBe(1);
      // Everything below the random bytes sits under them.
      expect(st.sp + (1 + want.length + 1 + envp.length + 1 + (st.auxv.length + 1) * 2) * 8).toBeLessThanOrEqual(st.random);
    }), { numRuns: runs });
  });
});

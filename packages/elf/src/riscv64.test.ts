import { describe, expect, it } from 'vitest';
import { AUXV } from './constants';
import { riscv64DlInfo, riscvHwcap } from './riscv64';

describe('riscv64 auxv helpers', () => {
  it('sets one AT_HWCAP bit per single-letter extension', () => {
    expect(riscvHwcap('imafdc')).toBe((1 << 8) | (1 << 12) | (1 << 0) | (1 << 5) | (1 << 3) | (1 << 2));
    expect(riscvHwcap('IMAFDCV')).toBe(riscvHwcap('imafdc') | (1 << 21));
    expect(riscvHwcap('')).toBe(0);
  });

  it("lists ARCH_DLINFO in Linux's order, AT_IGNORE for an unknown minimal signal stack", () => {
    const dl = riscv64DlInfo({ vdso: 0x3ff7ffe000, caches: { l1dSize: 32768 }, minSigStkSz: 0 });
    expect(dl.map(([t]) => t)).toEqual([
      AUXV.AT_SYSINFO_EHDR, AUXV.AT_L1I_CACHESIZE, AUXV.AT_L1I_CACHEGEOMETRY, AUXV.AT_L1D_CACHESIZE, AUXV.AT_L1D_CACHEGEOMETRY,
      AUXV.AT_L2_CACHESIZE, AUXV.AT_L2_CACHEGEOMETRY, AUXV.AT_L3_CACHESIZE, AUXV.AT_L3_CACHEGEOMETRY, AUXV.AT_IGNORE,
    ]);
    expect(dl[0]).toEqual([AUXV.AT_SYSINFO_EHDR, 0x3ff7ffe000]);
    expect(dl[3]).toEqual([AUXV.AT_L1D_CACHESIZE, 32768]);
    expect(riscv64DlInfo({ vdso: 0, minSigStkSz: 2432 }).at(-1)).toEqual([AUXV.AT_MINSIGSTKSZ, 2432]);
  });
});

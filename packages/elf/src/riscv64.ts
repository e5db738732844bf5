import { AUXV } from './constants';
import type { AuxvEntry } from './initial-stack';

/**
 * ELF_HWCAP of riscv (riscv_get_elf_hwcap): one bit per single-letter ISA
 * extension, bit (letter - 'a'). "imafdc" (RV64GC) is 0x112d.
 */
export function riscvHwcap(extensions: string): number {
  let hwcap = 0;
  for (const ch of extensions.toLowerCase()) {
    const bit = ch.charCodeAt(0) - 0x61;
    if (bit >= 0 && bit < 26) hwcap |= 1 << bit;
  }
  return hwcap >>> 0;
}

/** What riscv's ARCH_DLINFO reports: the vDSO, the cache sizes and geometries, the minimal signal stack. */
export interface Riscv64DlInfo {
  /** AT_SYSINFO_EHDR: the vDSO's address (0 when tskern maps none: glibc then makes real system calls). */
  readonly vdso: number;
  /** AT_L1I/L1D/L2/L3 sizes and geometries; 0 when unknown (get_cache_size finds no cacheinfo). */
  readonly caches?: Partial<Record<'l1iSize' | 'l1iGeometry' | 'l1dSize' | 'l1dGeometry' | 'l2Size' | 'l2Geometry' | 'l3Size' | 'l3Geometry', number>>;
  /** AT_MINSIGSTKSZ (signal_minsigstksz); 0 writes AT_IGNORE instead, as Linux does. */
  readonly minSigStkSz: number;
}

/** ARCH_DLINFO of arch/riscv/include/asm/elf.h, in its order, for AuxvParams.arch. */
export function riscv64DlInfo(info: Riscv64DlInfo): AuxvEntry[] {
  const c = info.caches ?? {};
  return [
    [AUXV.AT_SYSINFO_EHDR, info.vdso],
    [AUXV.AT_L1I_CACHESIZE, c.l1iSize ?? 0],
    [AUXV.AT_L1I_CACHEGEOMETRY, c.l1iGeometry ?? 0],
    [AUXV.AT_L1D_CACHESIZE, c.l1dSize ?? 0],
    [AUXV.AT_L1D_CACHEGEOMETRY, c.l1dGeometry ?? 0],
    [AUXV.AT_L2_CACHESIZE, c.l2Size ?? 0],
    [AUXV.AT_L2_CACHEGEOMETRY, c.l2Geometry ?? 0],
    [AUXV.AT_L3_CACHESIZE, c.l3Size ?? 0],
    [AUXV.AT_L3_CACHEGEOMETRY, c.l3Geometry ?? 0],
    info.minSigStkSz !== 0 ? [AUXV.AT_MINSIGSTKSZ, info.minSigStkSz] : [AUXV.AT_IGNORE, 0],
  ];
}

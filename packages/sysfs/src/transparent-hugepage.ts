import type { SysAttribute } from './attribute';

/**
 * /sys/kernel/mm/transparent_hugepage (mm/huge_memory.c) of a kernel whose
 * THP policy is "never": tskern maps every page at 4 KiB, so it shows the
 * truth, `never` selected, and the files are read-only (0444) because no
 * other policy can be honoured. madvise(MADV_HUGEPAGE) is still accepted, as
 * on Linux with CONFIG_TRANSPARENT_HUGEPAGE and the policy set to never.
 */
export function transparentHugepageAttributes(): SysAttribute[] {
  return [
    { name: 'enabled', show: () => 'always madvise [never]\n' },
    { name: 'defrag', show: () => 'always defer defer+madvise madvise [never]\n' },
  ];
}

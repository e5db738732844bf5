import { Errno } from '@tskern/abi';
import type { SysAttribute } from './attribute';
import { kstrtobool, kstrtoint, kstrtoul, kstrtouint, sysfsStreq } from './kstrto';

/** KSM_RUN_STOP, KSM_RUN_MERGE, KSM_RUN_UNMERGE (mm/ksm.c); KSM_RUN_OFFLINE is internal. */
const KSM_RUN_UNMERGE = 2;
/** DEFAULT_PAGES_TO_SCAN (mm/ksm.c). */
const DEFAULT_PAGES_TO_SCAN = 100;

/**
 * The tunables of Kernel Samepage Merging (mm/ksm.c) with Linux's defaults:
 * ksmd is stopped (run 0) until someone writes 1. tskern has no ksmd: it
 * never scans or merges, so a kernel reporting these figures merely accepts
 * MADV_MERGEABLE and the settings, as Linux does while ksmd has nothing to
 * do; every counter stays 0.
 */
export class KsmSettings {
  /** 0 stopped, 1 merging, 2 unmerge everything and stop. */
  run = 0;
  sleepMillisecs = 20;
  pagesToScan = DEFAULT_PAGES_TO_SCAN;
  maxPageSharing = 256;
  useZeroPages = false;
  smartScan = true;
  stableNodeChainsPruneMillisecs = 2000;
  /** The scan-time advisor (Linux 6.9+): 'none' or 'scan-time'. */
  advisor: 'none' | 'scan-time' = 'none';
  advisorMaxCpu = 70n;
  advisorMinPagesToScan = 500n;
  advisorMaxPagesToScan = 30000n;
  advisorTargetScanTime = 200n;
}

/** A read-only counter that is 0 because tskern never merges a page. */
function zero(name: string): SysAttribute {
  return { name, show: () => '0\n' };
}

/** An unsigned-int knob: any kstrtouint value, a bad one EINVAL (the stores fold ERANGE into it). */
function uintKnob(name: string, get: () => number, set: (v: number) => void, allowed: () => boolean = () => true): SysAttribute {
  return {
    name,
    show: () => `${get()}\n`,
    store: (text) => {
      if (!allowed()) return -Errno.EINVAL;
      const v = kstrtouint(text);
      if (v < 0) return -Errno.EINVAL;
      set(v);
      return 0;
    },
  };
}

function boolKnob(name: string, get: () => boolean, set: (v: boolean) => void): SysAttribute {
  return {
    name,
    show: () => (get() ? '1\n' : '0\n'),
    store: (text) => {
      const v = kstrtobool(text);
      if (typeof v === 'number') return -Errno.EINVAL;
      set(v);
      return 0;
    },
  };
}

/** An unsigned-long advisor knob (advisor_*_store): kstrtoul, at least `min`. */
function ulongKnob(name: string, get: () => bigint, set: (v: bigint) => void, min = 0n): SysAttribute {
  return {
    name,
    show: () => `${get()}\n`,
    store: (text) => {
      const v = kstrtoul(text);
      if (typeof v === 'number' || v < min) return -Errno.EINVAL;
      set(v);
      return 0;
    },
  };
}

/**
 * The files of /sys/kernel/mm/ksm (ksm_attrs of a kernel without NUMA, so no
 * merge_across_nodes), with the checks of their mm/ksm.c stores.
 */
export function ksmAttributes(ksm: KsmSettings): SysAttribute[] {
  return [
    uintKnob('sleep_millisecs', () => ksm.sleepMillisecs, (v) => (ksm.sleepMillisecs = v)),
    // pages_to_scan_store: the advisor sets it while it runs.
    uintKnob('pages_to_scan', () => ksm.pagesToScan, (v) => (ksm.pagesToScan = v), () => ksm.advisor === 'none'),
    {
      name: 'run',
      show: () => `${ksm.run}\n`,
      // run_store: 0, 1 or 2 (KSM_RUN_UNMERGE), else EINVAL. Unmerging has nothing to undo here.
      store: (text) => {
        const v = kstrtouint(text);
        if (v < 0 || v > KSM_RUN_UNMERGE) return -Errno.EINVAL;
        ksm.run = v;
        return 0;
      },
    },
    zero('pages_scanned'),
    zero('pages_shared'),
    zero('pages_sharing'),
    zero('pages_unshared'),
    zero('pages_volatile'),
    zero('pages_skipped'),
    zero('ksm_zero_pages'),
    zero('general_profit'),
    zero('stable_node_dups'),
    zero('stable_node_chains'),
    zero('full_scans'),
    {
      name: 'max_page_sharing',
      show: () => `${ksm.maxPageSharing}\n`,
      // max_page_sharing_store: kstrtoint's own error (ERANGE passes through), below 2 EINVAL.
      // Changing it while stable nodes exist is EBUSY; tskern never has one.
      store: (text) => {
        const v = kstrtoint(text);
        if (typeof v === 'number') return v;
        if (v.value < 2) return -Errno.EINVAL;
        ksm.maxPageSharing = v.value;
        return 0;
      },
    },
    uintKnob('stable_node_chains_prune_millisecs', () => ksm.stableNodeChainsPruneMillisecs, (v) => (ksm.stableNodeChainsPruneMillisecs = v)),
    boolKnob('use_zero_pages', () => ksm.useZeroPages, (v) => (ksm.useZeroPages = v)),
    boolKnob('smart_scan', () => ksm.smartScan, (v) => (ksm.smartScan = v)),
    {
      name: 'advisor_mode',
      show: () => (ksm.advisor === 'none' ? '[none] scan-time\n' : 'none [scan-time]\n'),
      // advisor_mode_store: switching resets pages_to_scan (set_advisor_defaults).
      store: (text) => {
        const mode = sysfsStreq(text, 'scan-time') ? 'scan-time' : sysfsStreq(text, 'none') ? 'none' : null;
        if (mode === null) return -Errno.EINVAL;
        if (mode !== ksm.advisor) {
          ksm.advisor = mode;
          ksm.pagesToScan = mode === 'none' ? DEFAULT_PAGES_TO_SCAN : Number(ksm.advisorMinPagesToScan & 0xffff_ffffn);
        }
        return 0;
      },
    },
    ulongKnob('advisor_max_cpu', () => ksm.advisorMaxCpu, (v) => (ksm.advisorMaxCpu = v)),
    ulongKnob('advisor_min_pages_to_scan', () => ksm.advisorMinPagesToScan, (v) => (ksm.advisorMinPagesToScan = v)),
    ulongKnob('advisor_max_pages_to_scan', () => ksm.advisorMaxPagesToScan, (v) => (ksm.advisorMaxPagesToScan = v)),
    ulongKnob('advisor_target_scan_time', () => ksm.advisorTargetScanTime, (v) => (ksm.advisorTargetScanTime = v), 1n),
  ];
}

import { invariant } from '@tskern/assert';
import type { KernelClock } from './clock';

/** Where a virtual clock starts. */
export interface VirtualClockOptions {
  /** CLOCK_MONOTONIC at start, ns; default 0 (boot). */
  readonly monotonicNs?: number;
  /** CLOCK_REALTIME at start, ns since the epoch; default 2026-01-01T00:00:00Z. */
  readonly realtimeNs?: bigint;
}

/** 2026-01-01T00:00:00Z in ns. */
export const VIRTUAL_EPOCH_NS = 1_767_225_600n * 1_000_000_000n;

/**
 * A clock that moves only when told: by `advance`/`advanceTo`, or by the
 * scheduler jumping to the next timer when no task can run. Tests and
 * scenarios get the same times on every run, and a sleep costs no host time.
 * Realtime moves with monotonic time.
 */
export class VirtualClock implements KernelClock {
  private mono: number;
  private readonly realAtZero: bigint;

  constructor(options: VirtualClockOptions = {}) {
    this.mono = options.monotonicNs ?? 0;
    invariant(Number.isSafeInteger(this.mono) && this.mono >= 0, 'virtual clock starts at a non-negative integer ns');
    this.realAtZero = (options.realtimeNs ?? VIRTUAL_EPOCH_NS) - BigInt(this.mono);
  }

  monotonicNs(): number {
    return this.mono;
  }

  realtimeNs(): bigint {
    return this.realAtZero + BigInt(this.mono);
  }

  /** Move forward to `monotonicNs`; a time in the past leaves the clock where it is (monotonic). */
  advanceTo(monotonicNs: number): void {
    invariant(Number.isSafeInteger(monotonicNs), 'virtual time is an integer ns');
    if (monotonicNs > this.mono) this.mono = monotonicNs;
  }

  /** Move forward by `ns` (>= 0). */
  advance(ns: number): void {
    invariant(ns >= 0, 'a virtual clock does not go back');
    this.advanceTo(this.mono + ns);
  }
}

import type { KernelClock } from './clock';

/**
 * The host's time: `performance.now()` for the monotonic clock (its origin
 * is "boot"), `performance.timeOrigin + performance.now()` for realtime, so
 * both advance together with sub-millisecond resolution. Browser-safe: uses
 * only the `performance` global. No `advanceTo`: an idle kernel on the host
 * clock tells its runtime to sleep.
 */
export class HostClock implements KernelClock {
  private readonly originUs = BigInt(Math.round(performance.timeOrigin * 1000));

  monotonicNs(): number {
    return Math.round(performance.now() * 1e6);
  }

  realtimeNs(): bigint {
    return this.originUs * 1000n + BigInt(this.monotonicNs());
  }
}

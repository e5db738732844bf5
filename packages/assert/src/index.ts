/**
 * Invariant checking for tskern.
 *
 * Kernel code states its invariants with `invariant(cond, msg)` (cheap, always
 * on: a broken invariant is a kernel bug) and with `checkInvariants(() => ...)`
 * for expensive whole-structure checks that only run when switched on. Tests
 * switch the expensive checks on (the shared vitest setup sets the global
 * flag); production runs leave them off, so hot paths pay one boolean test.
 */

declare global {
  var __TSKERN_CHECK_INVARIANTS__: boolean | undefined;
}

/** Thrown when a kernel invariant is broken: always a bug in tskern. */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

// Read once at load: the shared vitest setup sets the global before any test
// imports the kernel; setInvariantChecks changes it later.
let enabled = globalThis.__TSKERN_CHECK_INVARIANTS__ === true;

/** Switch the expensive invariant checks on or off (tests and fuzzers switch them on). */
export function setInvariantChecks(on: boolean): void {
  enabled = on;
  globalThis.__TSKERN_CHECK_INVARIANTS__ = on;
}

/** Whether expensive invariant checks run. */
export function invariantChecksEnabled(): boolean {
  return enabled;
}

/** A cheap invariant: always checked. */
export function invariant(cond: unknown, message: string | (() => string)): asserts cond {
  if (!cond) {
    throw new InvariantError(typeof message === 'string' ? message : message());
  }
}

/**
 * An expensive invariant check: `check` runs only while checks are enabled and
 * throws (usually through `invariant`) when the structure is broken.
 */
export function checkInvariants(check: () => void): void {
  // One module-level boolean: hot paths pay a load and a branch.
  if (enabled) check();
}

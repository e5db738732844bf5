// Shared vitest setup: every package tests from source (the @tskern/source
// export condition), with the kernel's invariant checker switched on.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { testTimeout } from './budget.js';

const setup = fileURLToPath(new URL('./setup.js', import.meta.url));

export function tskernVitestConfig(overrides = {}) {
  return defineConfig({
    resolve: { conditions: ['@tskern/source'] },
    ssr: { resolve: { conditions: ['@tskern/source'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: [setup],
      passWithNoTests: false,
      // A safety net, not a timing: property tests on a loaded 2-core machine
      // can take far longer than vitest's 5 s default (grown further with
      // TSKERN_PROPERTY_RUNS for long runs).
      testTimeout: testTimeout(60_000),
      ...overrides,
    },
  });
}

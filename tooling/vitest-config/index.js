// Shared vitest setup: every package tests from source (the @tskern/source
// export condition), with the kernel's invariant checker switched on.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const setup = fileURLToPath(new URL('./setup.js', import.meta.url));

export function tskernVitestConfig(overrides = {}) {
  return defineConfig({
    resolve: { conditions: ['@tskern/source'] },
    ssr: { resolve: { conditions: ['@tskern/source'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: [setup],
      passWithNoTests: false,
      // Property tests run hundreds of cases; on a shared 2-core machine under
      // load one can take far longer than vitest's 5 s default. No test times
      // anything: this only keeps CI from failing on a busy machine.
      testTimeout: 60_000,
      ...overrides,
    },
  });
}

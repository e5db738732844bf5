import { defineConfig } from 'tsup';

// index: the library; main: `pnpm conformance` when built; worker: the thread
// WorkerExecutor starts (dist/worker.js; from source it boots through tsx).
export default defineConfig({
  entry: { index: 'src/index.ts', main: 'src/main.ts', worker: 'src/worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  splitting: false,
  shims: true,
  target: 'es2022',
  platform: 'node',
});

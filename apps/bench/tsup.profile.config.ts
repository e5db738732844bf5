import { defineConfig } from 'tsup';

// `pnpm --filter @tskern/bench profile`: one unminified bundle of the bench
// and the tskern sources (so CPU profiles have real lines), with a source map
// back to the TypeScript. tsx, which `pnpm bench` runs under, minifies
// whitespace, which leaves V8's line ticks meaningless.
export default defineConfig({
  entry: { main: 'src/main.ts' },
  outDir: 'build-profile',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: false,
  splitting: false,
  clean: true,
  dts: false,
  noExternal: [/^@tskern\//],
  external: ['memfs'],
  esbuildOptions(options) {
    options.conditions = ['@tskern/source'];
  },
});

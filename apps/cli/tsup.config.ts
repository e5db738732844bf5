import { defineConfig } from 'tsup';

// One build for the library entry (index) and the `tskern` binary (main,
// package.json "bin": ./dist/main.js). The node shebang goes on every output
// (harmless on index); tsup marks files with a shebang executable.
export default defineConfig({
  entry: { index: 'src/index.ts', main: 'src/main.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  splitting: false,
  // main reads ../package.json through import.meta.url, in the CommonJS build too.
  shims: true,
  target: 'es2022',
  platform: 'node',
  banner: { js: '#!/usr/bin/env node' },
});

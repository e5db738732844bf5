// The one tsup build of a tskern library package: ESM and CommonJS, each with
// its declarations (.d.ts and the .d.cts a CommonJS consumer needs, see
// scripts/check-manifests.ts), source maps, a clean dist/, ES2022. Plain
// JavaScript, so tsup loads it from a package's tsup.config.ts as it is.

/** The build of the entries `entry` (default: the package's `src/index.ts`). */
export function libraryConfig(entry = ['src/index.ts']) {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
  };
}

export default libraryConfig();

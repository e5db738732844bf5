/**
 * Packs every public workspace package the way it is published: `pnpm pack`
 * applies publishConfig (exports without the internal `@tskern/source`
 * condition) and turns `workspace:*` into real versions, which `npm pack`
 * would not. The tarballs go to `.pack-out/` (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { publicPackages, repoRoot, type WorkspacePackage } from './workspace';

export const packDir = join(repoRoot, '.pack-out');

export interface Packed {
  readonly pkg: WorkspacePackage;
  readonly tarball: string;
}

/** Builds (unless `build` is false) and packs every public package. */
export function packAll(options: { build?: boolean } = {}): Packed[] {
  if (options.build !== false)
    execFileSync('pnpm', ['-s', 'build'], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  const out: Packed[] = [];
  for (const pkg of publicPackages()) {
    const before = new Set(readdirSync(packDir));
    execFileSync('pnpm', ['pack', '--pack-destination', packDir], {
      cwd: pkg.absDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const added = readdirSync(packDir).filter((f) => !before.has(f) && f.endsWith('.tgz'));
    if (added.length !== 1)
      throw new Error(`pnpm pack in ${pkg.dir} made ${added.length} tarballs`);
    out.push({ pkg, tarball: join(packDir, added[0]!) });
  }
  return out;
}

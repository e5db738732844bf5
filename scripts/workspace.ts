/**
 * The workspace's packages, as pnpm sees them (pnpm-workspace.yaml's
 * `dir/*` globs), with their manifests. Every repository check starts here,
 * so a package added later is checked without editing any list.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  [field: string]: unknown;
}

export interface WorkspacePackage {
  /** Directory relative to the repository root (`packages/vfs`). */
  readonly dir: string;
  readonly absDir: string;
  readonly manifest: Manifest;
}

/** The `dir/*` globs of pnpm-workspace.yaml (the only form the repo uses). */
function workspaceGlobs(): string[] {
  const text = readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [...text.matchAll(/^\s*-\s*["']?([^"'\s]+)\/\*["']?\s*$/gm)].map((m) => m[1]!);
  if (globs.length === 0) throw new Error('pnpm-workspace.yaml: no "dir/*" package globs found');
  return globs;
}

export function workspacePackages(): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const glob of workspaceGlobs()) {
    const parent = join(repoRoot, glob);
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const absDir = join(parent, entry.name);
      const file = join(absDir, 'package.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      out.push({
        dir: `${glob}/${entry.name}`,
        absDir,
        manifest: JSON.parse(readFileSync(file, 'utf8')) as Manifest,
      });
    }
  }
  return out;
}

/** The packages that are published to npm (every one not marked private). */
export function publicPackages(): WorkspacePackage[] {
  return workspacePackages().filter((p) => p.manifest.private !== true);
}

export function rootManifest(): Manifest {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
}

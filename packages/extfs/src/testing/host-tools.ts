import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the host's e2fsprogs live (Debian puts them in /usr/sbin or /sbin). */
function tool(name: string): string | null {
  for (const dir of ['/usr/sbin', '/sbin', '/usr/bin', '/bin']) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

/** Whether mke2fs, e2fsck and debugfs are all there (tests that need them skip otherwise). */
export const haveE2fsprogs = tool('mke2fs') !== null && tool('e2fsck') !== null && tool('debugfs') !== null;

/** A scratch directory, removed by `cleanup`. */
export function scratch(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'extfs-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * mke2fs an image of `kib` KiB in `dir` with `args` (e.g. ['-t', 'ext4',
 * '-b', '1024']), populated from `populate` (mke2fs -d) when given: the
 * image's bytes. Uses the host's /etc/mke2fs.conf, as LTP's mkfs does.
 */
export function makeImage(dir: string, kib: number, args: readonly string[], populate?: string): Uint8Array {
  const file = path.join(dir, `img-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, new Uint8Array(0));
  fs.truncateSync(file, kib * 1024);
  const extra = populate === undefined ? [] : ['-d', populate];
  execFileSync(tool('mke2fs')!, ['-q', '-F', ...args, ...extra, file, `${kib}`], { env: { ...process.env, E2FSPROGS_FAKE_TIME: '' }, stdio: 'pipe' });
  const bytes = new Uint8Array(fs.readFileSync(file));
  fs.rmSync(file);
  return bytes;
}

function withImage<T>(image: Uint8Array, fn: (file: string) => T): T {
  const { dir, cleanup } = scratch();
  try {
    const file = path.join(dir, 'img');
    fs.writeFileSync(file, image);
    return fn(file);
  } finally {
    cleanup();
  }
}

/** e2fsck -fn on the image: its exit status (0 clean) and output. */
export function fsck(image: Uint8Array): { status: number; output: string } {
  return withImage(image, (file) => {
    const r = spawnSync(tool('e2fsck')!, ['-fn', file], { encoding: 'utf8' });
    return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
  });
}

/** debugfs -R `request` on the image: its standard output as bytes. */
export function debugfs(image: Uint8Array, request: string): Buffer {
  return withImage(image, (file) => spawnSync(tool('debugfs')!, ['-R', request, file], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 }).stdout);
}

/** debugfs -w -R `request` on a copy of the image: the changed image. */
export function debugfsWrite(image: Uint8Array, request: string): Uint8Array {
  return withImage(image, (file) => {
    spawnSync(tool('debugfs')!, ['-w', '-R', request, file], { stdio: 'ignore' });
    return new Uint8Array(fs.readFileSync(file));
  });
}

/** e2fsck -fyD on a copy of the image (directories re-indexed as htrees): the changed image. */
export function fsckReindex(image: Uint8Array): Uint8Array {
  return withImage(image, (file) => {
    spawnSync(tool('e2fsck')!, ['-fyD', file], { stdio: 'ignore' });
    return new Uint8Array(fs.readFileSync(file));
  });
}

/** dumpe2fs of the image: its text (group flags such as BLOCK_UNINIT). */
export function dumpe2fs(image: Uint8Array): string {
  return withImage(image, (file) => spawnSync(tool('dumpe2fs')!, [file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout);
}

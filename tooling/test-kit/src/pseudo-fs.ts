import { O } from '@tskern/abi';
import { SimpleFileSystem, type FsTask, type NewInode, type OpenFileDescription, type SimpleInode, type Vfs } from '@tskern/vfs';
import { expect } from 'vitest';
import { ok } from './errno-result';
import { encodeText } from './text';

/**
 * A root file system of directories only, for a test that mounts a pseudo
 * file system (/proc, /sys) on it: making a regular file there throws, so a
 * test that would write into the root instead of the mount fails loudly.
 */
export class DirsOnlyFs extends SimpleFileSystem {
  constructor() {
    super({ type: 'dirs', maxFileSize: 1 << 20 });
  }

  protected newFile(_attrs: NewInode): SimpleInode {
    throw new Error('no files here');
  }
}

/** Everything left in an open file, read `chunk` bytes at a time (each read must not fail). */
export function readToEnd(f: OpenFileDescription, chunk: number): string {
  let out = '';
  const buf = new Uint8Array(chunk);
  for (;;) {
    const n = f.read(buf, 0, buf.length);
    expect(n).toBeGreaterThanOrEqual(0);
    if (n === 0) return out;
    out += String.fromCharCode(...buf.subarray(0, n));
  }
}

/** The whole file at `path` as `t` reads it (the open must succeed), `chunk` bytes a read. */
export function readPath(vfs: Vfs, t: FsTask, path: string, chunk: number): string {
  const f = ok(vfs.open(t, path, O.O_RDONLY, 0));
  const text = readToEnd(f, chunk);
  f.decRef();
  return text;
}

/** The names in the directory at `path`, in its order, without `.` and `..`. */
export function listPath(vfs: Vfs, t: FsTask, path: string): string[] {
  const d = ok(vfs.open(t, path, O.O_RDONLY | O.O_DIRECTORY, 0));
  const names: string[] = [];
  d.iterateDir((name) => (names.push(name), true), t);
  d.decRef();
  return names.slice(2);
}

/** open(`path`, `flags`), one write of `text`, close: the count written, or the open's or the write's -errno. */
export function writePath(vfs: Vfs, t: FsTask, path: string, text: string, flags: number = O.O_WRONLY): number {
  const f = vfs.open(t, path, flags, 0);
  if (typeof f === 'number') return f;
  const bytes = encodeText(text);
  const n = f.write(bytes, 0, bytes.length);
  f.decRef();
  return n;
}

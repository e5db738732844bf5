// A small in-memory file system for the VFS tests: libfs directories plus
// regular files in a growable Uint8Array.
import { SimpleFileSystem, SimpleInode, type NewInode } from '../index';

export class BytesFile extends SimpleInode {
  data = new Uint8Array(0);
  evictions = 0;

  size(): number {
    return this.data.length;
  }

  read(pos: number, dst: Uint8Array, off: number, len: number): number {
    if (pos >= this.data.length) return 0;
    const n = Math.min(len, this.data.length - pos);
    dst.set(this.data.subarray(pos, pos + n), off);
    return n;
  }

  write(pos: number, src: Uint8Array, off: number, len: number): number {
    if (pos + len > this.data.length) this.resize(pos + len);
    this.data.set(src.subarray(off, off + len), pos);
    return len;
  }

  fsync(): number {
    return 0;
  }

  protected override resize(size: number): number {
    const next = new Uint8Array(size);
    next.set(this.data.subarray(0, Math.min(size, this.data.length)));
    this.data = next;
    return 0;
  }

  protected override evict(): void {
    this.evictions++;
  }
}

export class MemFs extends SimpleFileSystem {
  constructor(options: { rootMode?: number; readOnly?: boolean; type?: string } = {}) {
    super({ type: options.type ?? 'memfs', maxFileSize: 1 << 30, clock: () => 0, ...options });
  }

  protected newFile(attrs: NewInode): SimpleInode {
    return new BytesFile(this, this.allocIno(), attrs, this.clock);
  }
}


import { Errno, F, O, SYS } from '@tskern/abi';
import { RamFs } from '@tskern/ramfs';
import { describe, expect, it } from 'vitest';
import { sys, world } from './testing/world';

/** A tmpfs that wants 512-byte direct I/O steps, as a block file system (ext4 on Linux 6.18, measured). */
class BlockLikeFs extends RamFs {
  override readonly directIoAlignment = 512;
}

function setup() {
  const w = world();
  expect(w.vfs.mountCreating('/tmp/blk', new BlockLikeFs({ frames: w.frames, type: 'tmpfs', rootMode: 0o1777 }))).toBe(0);
  return w;
}

describe('O_DIRECT read and write', () => {
  it('check the whole request against the steps, not the pieces moved (a read short at EOF is fine)', () => {
    const w = setup();
    const fd = sys(w.ctx, SYS.open, w.str('/tmp/blk/f'), O.O_CREAT | O.O_RDWR | O.O_DIRECT, 0o644);
    expect(fd).toBeGreaterThanOrEqual(0);
    const buf = w.alloc(4096);
    expect(sys(w.ctx, SYS.write, fd, buf, 512)).toBe(512);
    expect(sys(w.ctx, SYS.write, fd, buf, 100)).toBe(-Errno.EINVAL);
    expect(sys(w.ctx, SYS.pwrite64, fd, buf, 512, 1)).toBe(-Errno.EINVAL);
    expect(sys(w.ctx, SYS.pwrite64, fd, buf + 1, 512, 512)).toBe(512); // the buffer may sit anywhere
    expect(sys(w.ctx, SYS.ftruncate, fd, 10)).toBe(0);
    expect(sys(w.ctx, SYS.pread64, fd, buf, 4096, 0)).toBe(10);
    expect(sys(w.ctx, SYS.pread64, fd, buf, 100, 0)).toBe(-Errno.EINVAL);
    expect(sys(w.ctx, SYS.pread64, fd, buf, 512, 1)).toBe(-Errno.EINVAL);
    expect(sys(w.ctx, SYS.pread64, fd, buf, 0, 1)).toBe(0);
    expect(sys(w.ctx, SYS.pread64, fd, buf, 512, 4096)).toBe(0);
    // O_APPEND: the end of the file (10) is where the write lands: off the steps
    expect(sys(w.ctx, SYS.fcntl, fd, F.F_SETFL, O.O_DIRECT | O.O_APPEND)).toBe(0);
    expect(sys(w.ctx, SYS.write, fd, buf, 512)).toBe(-Errno.EINVAL);
  });

  it('open and fcntl refuse it on ramfs', () => {
    const w = setup();
    expect(sys(w.ctx, SYS.open, w.str('/tmp/r'), O.O_CREAT | O.O_RDWR | O.O_DIRECT, 0o644)).toBe(-Errno.EINVAL);
    const fd = sys(w.ctx, SYS.open, w.str('/tmp/r'), O.O_RDWR, 0);
    expect(sys(w.ctx, SYS.fcntl, fd, F.F_SETFL, O.O_DIRECT)).toBe(-Errno.EINVAL);
  });
});

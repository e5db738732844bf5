// statfs(2) of a hostfs mount: hostfs's magic with the host's figures.
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { Errno, FS_MAGIC, NAME_MAX, PAGE_SIZE } from '@tskern/abi';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostFs, FaultyHostBackend, type HostBackend, type HostFs, type HostStatfs } from './index';
import { NodeHostBackend } from './node';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) nodeFs.rmSync(d, { recursive: true, force: true });
});

function mount(wrap: (b: HostBackend) => HostBackend = (b) => b): HostFs {
  const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'hostfs-statfs-'));
  dirs.push(dir);
  const fs = createHostFs({ backend: wrap(new NodeHostBackend(dir)), frames: new ArenaFrameAllocator({ frames: 16 }) });
  if (typeof fs === 'number') throw new Error(`createHostFs: ${fs}`);
  return fs;
}

/** A backend whose statfs answers what the test says. */
class FiguresHost extends FaultyHostBackend {
  constructor(
    inner: HostBackend,
    private readonly answer: () => unknown,
  ) {
    super(inner);
  }
  override statfs(): HostStatfs | number {
    return this.answer() as HostStatfs | number;
  }
}

describe('hostfs statfs', () => {
  it("reports HOSTFS_SUPER_MAGIC and the host file system's own figures", () => {
    const fs = mount();
    const host = nodeFs.statfsSync(dirs[0]!);
    const s = fs.statfs();
    expect(s.magic).toBe(FS_MAGIC.HOSTFS_SUPER_MAGIC);
    expect(s.blockSize).toBe(host.bsize);
    expect(s.blocks).toBe(host.blocks);
    expect(s.files).toBe(host.files);
    expect(s.nameMax).toBe(NAME_MAX);
    // Free counts move between the two calls on a busy host; they stay within the totals.
    expect(s.freeBlocks).toBeLessThanOrEqual(s.blocks);
    expect(s.availableBlocks).toBeLessThanOrEqual(s.freeBlocks);
  });

  it('reports no limits when the backend has no figures or answers an error', () => {
    for (const answer of [() => -Errno.ENOSYS, () => -Errno.EIO]) {
      const s = mount((b) => new FiguresHost(b, answer)).statfs();
      expect(s).toEqual({
        magic: FS_MAGIC.HOSTFS_SUPER_MAGIC,
        blockSize: PAGE_SIZE,
        blocks: 0,
        freeBlocks: 0,
        availableBlocks: 0,
        files: 0,
        freeFiles: 0,
        nameMax: NAME_MAX,
      });
    }
  });

  it('treats a throwing or malformed backend answer as no figures, never a throw', () => {
    const answers = [
      () => {
        throw new Error('host gone');
      },
      () => ({ blockSize: 0, blocks: 1, freeBlocks: 1, availableBlocks: 1, files: 1, freeFiles: 1 }),
      () => ({ blockSize: 4096, blocks: -1, freeBlocks: 1, availableBlocks: 1, files: 1, freeFiles: 1 }),
      () => ({ blockSize: 4096, blocks: 1.5, freeBlocks: 1, availableBlocks: 1, files: 1, freeFiles: 1 }),
      () => 'full',
    ];
    for (const answer of answers) {
      const s = mount((b) => new FiguresHost(b, answer)).statfs();
      expect(s.magic).toBe(FS_MAGIC.HOSTFS_SUPER_MAGIC);
      expect(s.blocks).toBe(0);
    }
  });
});

describe('hostfs direct I/O follows the host file system (its f_type)', () => {
  const figures = (hostMagic?: number): HostStatfs => ({ blockSize: 4096, blocks: 1, freeBlocks: 1, availableBlocks: 1, files: 1, freeFiles: 1, ...(hostMagic === undefined ? {} : { hostMagic }) });

  it('tmpfs: any step; ramfs, procfs, sysfs: none; a block file system: 512-byte steps; no answer: none', () => {
    const cases: [HostStatfs | number, number | undefined][] = [
      [figures(FS_MAGIC.TMPFS_MAGIC), 1],
      [figures(FS_MAGIC.RAMFS_MAGIC), undefined],
      [figures(FS_MAGIC.PROC_SUPER_MAGIC), undefined],
      [figures(0xef53), 512], // ext2/3/4
      [figures(), undefined],
      [-Errno.ENOSYS, undefined],
    ];
    for (const [answer, want] of cases) expect(mount((b) => new FiguresHost(b, () => answer)).directIoAlignment).toBe(want);
  });

  it("the Node backend tells the host's f_type", () => {
    const fs = mount();
    const s = fs.backend.statfs();
    expect(typeof s === 'number' ? s : s.hostMagic).toBe(Number(nodeFs.statfsSync(dirs[0]!).type));
    // the figures statfs(2) reports keep hostfs's own magic
    expect(fs.statfs().magic).toBe(FS_MAGIC.HOSTFS_SUPER_MAGIC);
  });
});

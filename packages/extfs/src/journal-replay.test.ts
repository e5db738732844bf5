import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { ExtFs } from './ext-fs';
import { dumpe2fs, fsck, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { MemoryBlockDevice } from './testing/memory-block-device';
import { mountImage, walk } from './testing/mounted';

const debugfsTool = ['/usr/sbin/debugfs', '/sbin/debugfs'].find((p) => fs.existsSync(p));

/** Run debugfs -w with `commands` on a copy of `image` in `dir`: the changed image. */
function debugfsScript(dir: string, image: Uint8Array, commands: string[]): Uint8Array {
  const file = path.join(dir, 'j.img');
  fs.writeFileSync(file, image);
  fs.writeFileSync(path.join(dir, 'cmds'), `${commands.join('\n')}\n`);
  spawnSync(debugfsTool!, ['-w', '-f', path.join(dir, 'cmds'), file], { cwd: dir, stdio: 'ignore' });
  return new Uint8Array(fs.readFileSync(file));
}

/** e2fsck -fy on a copy: its journal replay (the same blocks as Linux's mount: checked on Linux 6.18 with a loop mount). */
function e2fsckReplay(dir: string, image: Uint8Array): Uint8Array {
  const file = path.join(dir, 'e.img');
  fs.writeFileSync(file, image);
  spawnSync(debugfsTool!.replace('debugfs', 'e2fsck'), ['-fy', file], { stdio: 'ignore' });
  return new Uint8Array(fs.readFileSync(file));
}

const block = (image: Uint8Array, b: number, n = 1): Uint8Array => image.subarray(b * 1024, (b + n) * 1024);

/**
 * Journals written by debugfs's journal_open/journal_write/journal_close
 * (needs_recovery set): transaction 1 logs blocks 3000-3001, transaction 2
 * block 3002 whose first word is the jbd2 magic (escaped in the log),
 * transaction 3 revokes 3001. Linux 6.18 mounting them (loop) and e2fsck
 * -fy both leave 3000 and 3002 replayed, 3001 as it was, s_start 0,
 * s_sequence 5 and needs_recovery cleared, with no checksums, v2 and v3.
 */
describe.skipIf(!haveE2fsprogs || debugfsTool === undefined)('journal replay (jbd2_journal_recover)', () => {
  for (const csum of ['', '-c -v 2', '-c -v 3']) {
    it(`replays committed transactions, honours revokes and escapes${csum === '' ? '' : ` (checksum ${csum.slice(-1)})`}; the result is e2fsck's`, () => {
      const { dir, cleanup } = scratch();
      try {
        const two = randomBytes(2048);
        const escaped = randomBytes(1024);
        escaped.writeUInt32BE(0xc03b3998, 0);
        fs.writeFileSync(path.join(dir, 'two'), two);
        fs.writeFileSync(path.join(dir, 'esc'), escaped);
        const image = debugfsScript(dir, makeImage(dir, 8 * 1024, ['-t', 'ext4', '-b', '1024']), [
          `journal_open ${csum}`,
          'journal_write -b 3000,3001 two',
          'journal_close',
          `journal_open ${csum}`,
          'journal_write -b 3002 esc',
          'journal_write -r 3001 two',
          'journal_close',
        ]);
        expect(dumpe2fs(image)).toMatch(/needs_recovery/);
        const want = e2fsckReplay(dir, image);
        expect(block(want, 3000)).toEqual(new Uint8Array(two.subarray(0, 1024)));
        const { fs: ext, device } = mountImage(image);
        expect([...block(device.image, 3000, 3)]).toEqual([...block(want, 3000, 3)]);
        expect(walk(ext, 'lost+found').isDirectory).toBe(true);
        ext.shutdown();
        const info = dumpe2fs(device.image);
        expect(info).not.toMatch(/needs_recovery/);
        expect(info).toMatch(/Journal sequence:\s+0x00000005/);
        expect(info).toMatch(/Journal start:\s+0\n/);
        const check = fsck(device.image);
        expect(check.output).not.toMatch(/\?|Fix/);
        expect(check.status).toBe(0);
      } finally {
        cleanup();
      }
    });
  }

  it('norecovery on a read-only mount leaves the journal as it is; read-write is EINVAL, a read-only device EROFS', () => {
    const { dir, cleanup } = scratch();
    try {
      fs.writeFileSync(path.join(dir, 'one'), randomBytes(1024));
      const image = debugfsScript(dir, makeImage(dir, 8 * 1024, ['-t', 'ext4', '-b', '1024']), ['journal_open', 'journal_write -b 3000 one', 'journal_close']);
      const before = image.slice();
      const { fs: ext, device } = mountImage(image, 'ext4', true, undefined, true);
      ext.shutdown();
      expect(Buffer.from(device.image).equals(Buffer.from(before))).toBe(true);
      // Read-write with norecovery: "required journal recovery suppressed and not mounted read-only".
      expect(() => mountImage(image.slice(), 'ext4', false, undefined, true)).toThrow('mount: -22');
      // A read-only device cannot be replayed onto: EROFS ("try mounting with noload").
      const device2 = new MemoryBlockDevice(image.slice());
      Object.assign(device2, { readOnly: () => true });
      expect(ExtFs.mount(device2, { frames: new ArenaFrameAllocator({ bytes: 4 * 1024 * 1024 }), readOnly: true })).toBe(-30);
    } finally {
      cleanup();
    }
  });
});

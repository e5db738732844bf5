import { S } from '@tskern/abi';
import { describeMappableContract, fileSubject, type MappableHarness } from '@tskern/test-kit/mappable-contract';
import type { ExtInode } from './ext-inode';
import { fixtureImage } from './testing/fixture';
import { mountImage } from './testing/mounted';

/**
 * A file on the committed ext4 image: its page cache is the object under
 * the contract. Holes are punched as ext4_punch_hole (MADV_REMOVE).
 */
const extFile: MappableHarness = {
  punchHole: 'frees',
  create(frames, size) {
    const { fs } = mountImage(fixtureImage(), 'ext4', false, frames);
    const file = fs.create!(fs.root(), 'f', { mode: S.S_IFREG | 0o600, uid: 0, gid: 0 }) as ExtInode;
    file.incRef();
    if (file.setattr({ size }) !== 0) throw new Error('truncate');
    const io = {
      pread: (dst: Uint8Array, off: number, len: number, pos: number) => file.read(pos, dst, off, len),
      pwrite: (src: Uint8Array, off: number, len: number, pos: number) => file.write(pos, src, off, len),
    };
    return fileSubject(io, { mappable: file }, (n) => file.setattr({ size: n }), () => {
      fs.unlink!(fs.root(), 'f');
      file.decRef();
    });
  },
};

describeMappableContract('ext4 file', extFile);

import { describe, expect, it } from 'vitest';
import { fixtureImage } from './testing/fixture';
import { mountImage } from './testing/mounted';

describe('statfs', () => {
  it('reports what Linux reports for the committed image (statvfs on the host mount of it)', () => {
    // Linux 6.x: f_bsize 1024, f_blocks 940, f_bfree 910, f_bavail 768, f_files 256, f_ffree 241, f_namemax 255.
    const { fs } = mountImage(fixtureImage(), 'ext4', true);
    expect(fs.statfs()).toEqual({ magic: 0xef53, blockSize: 1024, blocks: 940, freeBlocks: 910, availableBlocks: 768, files: 256, freeFiles: 241, nameMax: 255 });
  });
});

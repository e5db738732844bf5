import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * The committed image (fixtures/ext4-1k.img.gz): 2 MiB of ext4 as the
 * host's mke2fs 1.47 makes it with `-t ext4 -b 1024` (journal, extents,
 * flex_bg, metadata_csum, 64bit, 256-byte inodes), holding /hello, /link ->
 * hello and /dir/numbers (`seq 1 3000`). Tests use it where mke2fs may be
 * missing.
 */
export function fixtureImage(): Uint8Array {
  return new Uint8Array(gunzipSync(readFileSync(join(__dirname, '..', '..', 'fixtures', 'ext4-1k.img.gz'))));
}

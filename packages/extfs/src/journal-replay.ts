import { Errno } from '@tskern/abi';
import { crc32c } from './checksums';

/** JBD2_MAGIC_NUMBER: every journal block header starts with it (big-endian). */
export const JBD2_MAGIC = 0xc03b3998;
/** h_blocktype values (include/linux/jbd2.h). */
const DESCRIPTOR = 1;
const COMMIT = 2;
const REVOKE = 5;
/** s_feature_incompat bits. */
const INCOMPAT_64BIT = 0x2;
const INCOMPAT_CSUM_V2 = 0x8;
const INCOMPAT_CSUM_V3 = 0x10;
/** t_flags bits. */
const FLAG_ESCAPE = 0x1;
const FLAG_SAME_UUID = 0x2;
const FLAG_LAST_TAG = 0x8;

/** The journal as the replay sees it: its blocks by logical number, and the file system's blocks to write. */
export interface JournalIo {
  /** The journal's block `logical`, a copy (-errno on a read error). */
  readJournal(logical: number): Uint8Array | number;
  /** Put `data` in the file system's block `block` (0 or -errno). */
  writeHome(block: number, data: Uint8Array): number;
  /** Write the journal's block `logical` (its superblock, reset after the replay). */
  writeJournal(logical: number, data: Uint8Array): number;
}

interface Tag {
  readonly block: number;
  readonly flags: number;
  readonly checksum: number;
}

const be = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.length);

/**
 * jbd2_journal_recover (fs/jbd2/recovery.c): the three passes of do_one_pass
 * over the log from s_start. SCAN finds the last transaction whose commit
 * block is there (and, with checksum v2/v3, whose descriptor, revoke and
 * commit checksums hold); REVOKE collects every revoked block with the
 * newest transaction that revoked it; REPLAY writes each logged block home
 * (its escaped magic restored) unless a transaction as new or newer revoked
 * it, or its tag checksum fails (then the replay ends in EIO, as jbd2's
 * block_error). The journal superblock is then reset as
 * jbd2_mark_journal_empty leaves it: s_start 0, s_sequence one past the
 * last replayed transaction. Returns the number of transactions replayed,
 * or -errno.
 */
export function replayJournal(io: JournalIo): number {
  const jsb = io.readJournal(0);
  if (typeof jsb === 'number') return jsb;
  const v = be(jsb);
  if (v.getUint32(0, false) !== JBD2_MAGIC) return -Errno.EINVAL;
  const bs = v.getUint32(0xc, false);
  const maxlen = v.getUint32(0x10, false);
  const first = v.getUint32(0x14, false);
  const start = v.getUint32(0x1c, false);
  const blocktype = v.getUint32(4, false);
  const incompat = blocktype === 4 ? v.getUint32(0x28, false) : 0;
  const csum3 = (incompat & INCOMPAT_CSUM_V3) !== 0;
  const csum2 = (incompat & INCOMPAT_CSUM_V2) !== 0;
  const csum = csum2 || csum3;
  const bit64 = (incompat & INCOMPAT_64BIT) !== 0;
  const seed = crc32c(0xffffffff, jsb, 0x30, 0x40); // j_csum_seed: the journal's UUID
  const tagBytes = csum3 ? 16 : 8 + (csum2 ? 2 : 0) + (bit64 ? 4 : 0);
  if (start === 0) return 0;
  if (bs !== jsb.length || first === 0 || start < first || start >= maxlen) return -Errno.EINVAL;
  const next = (b: number): number => (b + 1 >= maxlen ? first : b + 1);

  /** jbd2_descriptor_block_csum_verify (revoke blocks too): crc32c of the block with its 4-byte tail zeroed. */
  const tailOk = (b: Uint8Array): boolean => {
    if (!csum) return true;
    const w = be(b);
    const stored = w.getUint32(bs - 4, false);
    const copy = b.slice();
    be(copy).setUint32(bs - 4, 0, false);
    return crc32c(seed, copy) === stored;
  };
  /** jbd2_commit_block_csum_verify: h_chksum[0] (offset 16) zeroed. */
  const commitOk = (b: Uint8Array): boolean => {
    if (!csum) return true;
    const stored = be(b).getUint32(16, false);
    const copy = b.slice();
    be(copy).setUint32(16, 0, false);
    return crc32c(seed, copy) === stored;
  };
  const tagsOf = (b: Uint8Array): Tag[] => {
    const w = be(b);
    const end = bs - (csum ? 4 : 0);
    const tags: Tag[] = [];
    for (let at = 12; at + tagBytes <= end; ) {
      const lo = w.getUint32(at, false);
      const flags = csum3 ? w.getUint32(at + 4, false) : w.getUint16(at + 6, false);
      const hi = bit64 ? w.getUint32(at + 8, false) : 0;
      const checksum = csum3 ? w.getUint32(at + 12, false) : csum2 ? w.getUint16(at + 4, false) : 0;
      tags.push({ block: hi * 2 ** 32 + lo, flags, checksum });
      at += tagBytes + ((flags & FLAG_SAME_UUID) === 0 ? 16 : 0);
      if ((flags & FLAG_LAST_TAG) !== 0) break;
    }
    return tags;
  };

  let endTransaction = 0;
  const revoked = new Map<number, number>();
  let blockError = false;
  for (const pass of ['scan', 'revoke', 'replay'] as const) {
    let sequence = v.getUint32(0x18, false);
    let at = start;
    for (;;) {
      if (pass !== 'scan' && sequence >= endTransaction) break;
      const b = io.readJournal(at);
      if (typeof b === 'number') return b;
      const w = be(b);
      if (w.getUint32(0, false) !== JBD2_MAGIC || w.getUint32(8, false) !== sequence) break;
      const type = w.getUint32(4, false);
      if (type === DESCRIPTOR) {
        if (!tailOk(b)) break; // a stale or torn descriptor: the log ends here
        const tags = tagsOf(b);
        at = next(at);
        for (const tag of tags) {
          if (pass === 'replay') {
            const data = io.readJournal(at);
            if (typeof data === 'number') return data;
            const newest = revoked.get(tag.block);
            if (newest === undefined || newest < sequence) {
              // jbd2_block_tag_csum_verify: crc32c of the big-endian sequence, then the logged block.
              const seq = new Uint8Array(4);
              be(seq).setUint32(0, sequence, false);
              const sum = crc32c(crc32c(seed, seq), data);
              if (csum && (csum3 ? sum : sum & 0xffff) !== tag.checksum) blockError = true;
              else {
                if ((tag.flags & FLAG_ESCAPE) !== 0) be(data).setUint32(0, JBD2_MAGIC, false);
                const r = io.writeHome(tag.block, data);
                if (r < 0) return r;
              }
            }
          }
          at = next(at);
        }
        continue;
      }
      if (type === COMMIT) {
        if (pass === 'scan' && !commitOk(b)) break;
        sequence++;
        at = next(at);
        continue;
      }
      if (type === REVOKE) {
        if (!tailOk(b)) break;
        if (pass === 'revoke') {
          const count = Math.min(w.getUint32(12, false), bs - (csum ? 4 : 0));
          const size = bit64 ? 8 : 4;
          for (let r = 16; r + size <= count; r += size) {
            const blk = bit64 ? w.getUint32(r, false) * 2 ** 32 + w.getUint32(r + 4, false) : w.getUint32(r, false);
            revoked.set(blk, Math.max(revoked.get(blk) ?? 0, sequence));
          }
        }
        at = next(at);
        continue;
      }
      break;
    }
    if (pass === 'scan') endTransaction = sequence;
  }
  // jbd2_mark_journal_empty after the load: nothing to replay, the next transaction one past the last.
  const replayed = endTransaction - v.getUint32(0x18, false);
  v.setUint32(0x18, endTransaction + 1, false);
  v.setUint32(0x1c, 0, false);
  if (csum) {
    v.setUint32(0xfc, 0, false);
    v.setUint32(0xfc, crc32c(0xffffffff, jsb, 0, 1024), false);
  }
  const w = io.writeJournal(0, jsb);
  if (w < 0) return w;
  return blockError ? -Errno.EIO : replayed;
}

import { crc32c } from './checksums';
import { DX_HASH } from './dir-hash';

/** One index entry: leaves (logical directory blocks) hold names hashing from `hash` up to the next entry's. */
export interface DxLeaf {
  /** The lowest hash of the leaf; bit 0 set when the leaf continues the previous one's last hash. */
  hash: number;
  block: number;
}

/** Where the root's dx_root_info starts: after the 12-byte "." and ".." entries. */
const ROOT_INFO = 24;
/** Where the root's count/limit and entries start. */
const ROOT_ENTRIES = 32;
/** Where an interior node's count/limit starts: after its empty 8-byte dirent. */
const NODE_ENTRIES = 8;



/**
 * A directory's htree index (Documentation/filesystems/ext4/directory.rst,
 * fs/ext4/namei.c dx_probe / dx_insert_block): the sorted list of leaves,
 * read from the root block (logical 0) and at most one level of interior
 * nodes, and written back packed: the root points at the leaves while they
 * fit (dx_root_limit), else at interior nodes of dx_node_limit leaves each.
 * Linux splits full nodes in half instead; both are trees e2fsck accepts.
 * Two levels (large_dir) are not read here: such a directory is used
 * linearly.
 */
export class DxIndex {
  private constructor(
    /** dx_root_info.hash_version as stored (DX_HASH_LEGACY, HALF_MD4 or TEA). */
    readonly hashVersion: number,
    readonly leaves: DxLeaf[],
    /** The interior node blocks (logical), when the index has a level of them. */
    readonly nodes: number[],
  ) {}

  /** A new index over `leaves` (make_indexed_dir). */
  static create(hashVersion: number, leaves: DxLeaf[]): DxIndex {
    return new DxIndex(hashVersion, leaves, []);
  }

  /** dx_root_limit: index entries the root block holds. */
  static rootLimit(blockSize: number, csum: boolean): number {
    return (blockSize - ROOT_ENTRIES) / 8 - (csum ? 1 : 0);
  }

  /** dx_node_limit: index entries an interior node holds. */
  static nodeLimit(blockSize: number, csum: boolean): number {
    return (blockSize - NODE_ENTRIES) / 8 - (csum ? 1 : 0);
  }

  /**
   * Parse the index (dx_probe's checks): null when the root is not one
   * this package reads (a nonzero reserved word, an info length not 8, an
   * unknown hash, more than one level, a count past its limit).
   */
  static read(root: Uint8Array, readBlock: (logical: number) => Uint8Array, csum: boolean): DxIndex | null {
    const v = view(root);
    const version = root[ROOT_INFO + 4]!;
    const levels = root[ROOT_INFO + 6]!;
    if (v.getUint32(ROOT_INFO, true) !== 0 || root[ROOT_INFO + 5] !== 8 || version > DX_HASH.TEA || levels > 1) return null;
    const top = entriesOf(root, ROOT_ENTRIES, DxIndex.rootLimit(root.length, csum));
    if (top === null) return null;
    if (levels === 0) return new DxIndex(version, top, []);
    const leaves: DxLeaf[] = [];
    for (const node of top) {
      const below = entriesOf(readBlock(node.block), NODE_ENTRIES, DxIndex.nodeLimit(root.length, csum));
      if (below === null) return null;
      below[0]!.hash = node.hash;
      leaves.push(...below);
    }
    return new DxIndex(version, leaves, top.map((n) => n.block));
  }

  /** The index of the leaf a name hashing to `hash` belongs in (the last whose hash is not above it). */
  leafFor(hash: number): number {
    let lo = 0;
    let hi = this.leaves.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.leaves[mid]!.hash > hash) hi = mid - 1;
      else lo = mid;
    }
    return lo;
  }

  /** How many interior nodes `leaves` leaves need (0: the root holds them); null past two levels. */
  static nodesFor(leaves: number, blockSize: number, csum: boolean): number | null {
    if (leaves <= DxIndex.rootLimit(blockSize, csum)) return 0;
    const nodes = Math.ceil(leaves / DxIndex.nodeLimit(blockSize, csum));
    return nodes <= DxIndex.rootLimit(blockSize, csum) ? nodes : null;
  }

  /**
   * Write the index: the root block's info, count/limit and entries after
   * its "." and ".." (kept), and the interior nodes (`nodes` must hold as
   * many blocks as nodesFor says); with metadata_csum each gets its
   * dx_tail (ext4_dx_csum_set). `seed` is the directory inode's.
   */
  write(root: Uint8Array, nodes: number[], nodeBlock: (logical: number) => Uint8Array, seed: number | null): void {
    const bs = root.length;
    const csum = seed !== null;
    this.nodes.splice(0, this.nodes.length, ...nodes);
    const v = view(root);
    root.fill(0, ROOT_INFO);
    v.setUint16(12 + 4, bs - 12, true); // ".." spans the rest of the block
    v.setUint32(ROOT_INFO, 0, true);
    root[ROOT_INFO + 4] = this.hashVersion;
    root[ROOT_INFO + 5] = 8;
    root[ROOT_INFO + 6] = nodes.length > 0 ? 1 : 0;
    root[ROOT_INFO + 7] = 0;
    if (nodes.length === 0) {
      putEntries(root, ROOT_ENTRIES, DxIndex.rootLimit(bs, csum), this.leaves, seed);
      return;
    }
    const per = DxIndex.nodeLimit(bs, csum);
    const top: DxLeaf[] = [];
    nodes.forEach((block, n) => {
      const chunk = this.leaves.slice(n * per, (n + 1) * per);
      const data = nodeBlock(block);
      data.fill(0);
      view(data).setUint16(4, bs, true); // an empty dirent spanning the block
      putEntries(data, NODE_ENTRIES, per, chunk, seed);
      top.push({ hash: chunk[0]!.hash, block });
    });
    putEntries(root, ROOT_ENTRIES, DxIndex.rootLimit(bs, csum), top, seed);
  }
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.length);
}

/** The entries of a count/limit array at `at` (the first one's hash is 0: it is the count/limit). */
function entriesOf(data: Uint8Array, at: number, limit: number): DxLeaf[] | null {
  const v = view(data);
  const count = v.getUint16(at + 2, true);
  if (v.getUint16(at, true) !== limit || count === 0 || count > limit) return null;
  const out: DxLeaf[] = [];
  for (let i = 0; i < count; i++) out.push({ hash: i === 0 ? 0 : v.getUint32(at + 8 * i, true), block: v.getUint32(at + 8 * i + 4, true) });
  return out;
}

/** Write count/limit and `entries` at `at`, and the dx_tail's checksum when `seed` is given. */
function putEntries(data: Uint8Array, at: number, limit: number, entries: readonly DxLeaf[], seed: number | null): void {
  const v = view(data);
  entries.forEach((e, i) => {
    if (i > 0) v.setUint32(at + 8 * i, e.hash, true);
    v.setUint32(at + 8 * i + 4, e.block, true);
  });
  v.setUint16(at, limit, true);
  v.setUint16(at + 2, entries.length, true);
  if (seed === null) return;
  // ext4_dx_csum: crc32c over the block up to the last entry, then the tail with a zero checksum.
  const tail = at + limit * 8;
  v.setUint32(tail, 0, true);
  v.setUint32(tail + 4, 0, true);
  const c = crc32c(crc32c(seed, data, 0, at + entries.length * 8), data, tail, tail + 8);
  v.setUint32(tail + 4, c, true);
}



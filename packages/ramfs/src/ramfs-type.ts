import { Errno } from '@tskern/abi';
import type { FrameAllocator } from '@tskern/pagealloc';
import { parseFsU32, type FileSystem, type FileSystemType, type FsRequest } from '@tskern/vfs';
import { RamFs } from './ramfs';

/** RAMFS_DEFAULT_MODE (fs/ramfs/inode.c): the root directory's mode without mode=. */
const RAMFS_DEFAULT_MODE = 0o755;

/**
 * ramfs_parse_param: `mode=` (octal, a bad value is EINVAL); every other
 * option is ignored, as ramfs has always done. Returns the root mode or -EINVAL.
 */
function parseRamfs(request: FsRequest): number {
  let mode = RAMFS_DEFAULT_MODE;
  for (const p of request.parameters) {
    if (p.key !== 'mode') continue;
    const m = parseFsU32(p.value, 8);
    if (m === null) return -Errno.EINVAL;
    mode = m & 0o7777; // S_IALLUGO
  }
  return mode;
}

/**
 * The "ramfs" file system type: each mount(2) makes a new RamFs over
 * `frames`, its root owned by the caller's fsuid and fsgid
 * (inode_init_owner with no parent).
 */
export function ramfsType(frames: FrameAllocator): FileSystemType {
  const modes = new WeakMap<FileSystem, number>();
  return {
    name: 'ramfs',
    requiresDevice: false,
    mount(request) {
      const mode = parseRamfs(request);
      if (mode < 0) return mode;
      const fs = new RamFs({ frames, rootMode: mode, rootUid: request.uid, rootGid: request.gid, readOnly: request.readOnly, ramfsFileOperations: true });
      modes.set(fs, mode);
      return fs;
    },
    // ramfs has no reconfigure operation: options are parsed (and dropped), only SB_RDONLY changes.
    reconfigure(fs, request) {
      const mode = parseRamfs(request);
      if (mode < 0) return mode;
      if (request.readOnly && !fs.readOnly) {
        const busy = request.prepareReadOnly?.() ?? 0;
        if (busy < 0) return busy;
      }
      if (fs instanceof RamFs) fs.readOnly = request.readOnly;
      return 0;
    },
    // ramfs_show_options: mode= only when not the default.
    showOptions(fs) {
      const mode = modes.get(fs);
      return mode === undefined || mode === RAMFS_DEFAULT_MODE ? '' : `,mode=${mode.toString(8)}`;
    },
  };
}

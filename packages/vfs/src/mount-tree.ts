import { Errno } from '@tskern/abi';
import { isDir } from './mode';
import type { Mount } from './mount';
import type { Path } from './path';

/**
 * graft_tree: hang `mount` on `target` (its parent and mountpoint; the
 * topmost mount there, as lock_mount finds it). A directory goes only on a directory
 * and a file only on a file (ENOTDIR), as Linux's d_is_dir test.
 */
export function attachMount(target: Path, mount: Mount): number {
  if (isDir(target.dentry.inode.mode) !== isDir(mount.root.inode.mode)) return -Errno.ENOTDIR;
  target.mount.children.set(target.dentry, mount);
  return 0;
}

/** umount_tree: take `mount` and everything mounted under it out of the tree. */
export function detachMount(mount: Mount): void {
  if (mount.parent !== null && mount.mountpoint !== null && mount.parent.children.get(mount.mountpoint) === mount) {
    mount.parent.children.delete(mount.mountpoint);
  }
  const stack = [mount];
  while (stack.length > 0) {
    const m = stack.pop()!;
    for (const c of m.children.values()) stack.push(c);
    m.detach();
  }
}

/** Every attached mount from `root` down, by mnt_id (the order they were mounted in). */
export function treeMounts(root: Mount): Mount[] {
  const out: Mount[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const m = stack.pop()!;
    out.push(m);
    for (const c of m.children.values()) stack.push(c);
  }
  return out.sort((a, b) => a.id - b.id);
}

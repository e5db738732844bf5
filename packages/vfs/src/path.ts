import type { Dentry } from './dentry';
import type { Mount } from './mount';

/** A place in the tree: a dentry as seen through a mount (Linux's `struct path`). */
export interface Path {
  readonly mount: Mount;
  readonly dentry: Dentry;
}

export function samePath(a: Path, b: Path): boolean {
  return a.mount === b.mount && a.dentry === b.dentry;
}

/** The mount on top of `p`, if `p` is a mountpoint (follow_mount, repeated for stacked mounts). */
export function followMounts(p: Path): Path {
  let cur = p;
  for (;;) {
    const m = cur.mount.children.get(cur.dentry);
    if (m === undefined) return cur;
    cur = { mount: m, dentry: m.root };
  }
}

/** Whether `p` is a mountpoint of its mount (is_local_mountpoint). */
export function isMountpoint(p: Path): boolean {
  return p.mount.children.has(p.dentry);
}

/**
 * The absolute path of `p` (prepend_path in fs/d_path.c): names up to the
 * mount's root, across mountpoints up to the root of the tree, or up to
 * `root` when given (getcwd is relative to the process root). Returns the
 * path and whether `root` was reached (false: the path is outside the
 * process's root, which getcwd marks "(unreachable)").
 */
export function pathName(p: Path, root?: Path): { path: string; reachable: boolean } {
  const parts: string[] = [];
  let { mount, dentry } = p;
  let reachable = root === undefined;
  for (;;) {
    if (root !== undefined && mount === root.mount && dentry === root.dentry) {
      reachable = true;
      break;
    }
    if (dentry === mount.root) {
      if (mount.parent === null || mount.mountpoint === null) break;
      dentry = mount.mountpoint;
      mount = mount.parent;
      continue;
    }
    if (dentry.parent === null) break;
    parts.push(dentry.name);
    dentry = dentry.parent;
  }
  return { path: '/' + parts.reverse().join('/'), reachable };
}

/**
 * d_path: the absolute path, with ` (deleted)` when the name was removed; a
 * pseudo file's own name (`pipe:[12]`) when its file system has `dname`.
 */
export function displayPath(p: Path): string {
  const dname = p.mount.fs.dname;
  if (dname !== undefined) return dname.call(p.mount.fs, p.dentry.inode);
  const { path } = pathName(p);
  return p.dentry.unlinked ? `${path} (deleted)` : path;
}

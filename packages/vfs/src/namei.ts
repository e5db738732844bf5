import { Errno, NAME_MAX } from '@tskern/abi';
import type { FsTask } from './fs-context';
import { isDir, isLnk } from './mode';
import { followMounts, samePath, type Path } from './path';
import { inodePermission, MAY_EXEC } from './permission';

/** Most symlinks one lookup follows (MAXSYMLINKS in include/linux/namei.h). */
export const MAXSYMLINKS = 40;

/** What the last component of a path is (Linux's LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT). */
export type LastType = 'norm' | 'dot' | 'dotdot' | 'root';

/** A path walked up to its last component (the result of link_path_walk). */
export interface Parent {
  /** The directory holding the last component. */
  readonly dir: Path;
  /** The last component ('' for LAST_ROOT). */
  readonly last: string;
  readonly type: LastType;
  /** The path ended in '/' after the last component. */
  readonly trailingSlash: boolean;
}

/**
 * One path lookup: Linux's `struct nameidata`, with its count of symlinks
 * followed so far (shared by nested links, so a loop ends in ELOOP).
 * Permission checks use the task's credentials; `/` and `..` stop at the
 * task's root.
 */
export class Namei {
  private links = 0;

  constructor(readonly task: FsTask) {}

  /** Where a relative path starts: `at` (a directory fd) or the cwd. */
  start(path: string, at?: Path): Path {
    return path.startsWith('/') ? this.task.fs.root : (at ?? this.task.fs.cwd);
  }

  /**
   * may_lookup: continuing a walk through `dir` needs a directory (ENOTDIR)
   * with search permission (EACCES).
   */
  mayLookup(dir: Path): number {
    const inode = dir.dentry.inode;
    if (!isDir(inode.mode)) return -Errno.ENOTDIR;
    return inodePermission(this.task.cred, inode, MAY_EXEC);
  }

  /**
   * link_path_walk: walk every component but the last, following symlinks
   * and mounts on the way; the last component's directory must be
   * searchable. `path` is non-empty.
   */
  walkParent(start: Path, path: string): Parent | number {
    let cur = path.startsWith('/') ? this.task.fs.root : start;
    const names = path.split('/').filter((c) => c !== '');
    if (names.length === 0) return { dir: cur, last: '', type: 'root', trailingSlash: false };
    for (let i = 0; i < names.length - 1; i++) {
      const err = this.mayLookup(cur);
      if (err < 0) return err;
      const next = this.step(cur, names[i]!, true);
      if (typeof next === 'number') return next;
      cur = next;
    }
    const err = this.mayLookup(cur);
    if (err < 0) return err;
    const last = names[names.length - 1]!;
    const type: LastType = last === '.' ? 'dot' : last === '..' ? 'dotdot' : 'norm';
    return { dir: cur, last, type, trailingSlash: path.endsWith('/') };
  }

  /**
   * The child `name` of `dir` as its file system has it (the mountpoint
   * itself, mounts not followed): ENAMETOOLONG for a name longer than
   * NAME_MAX (simple_lookup), ENOENT when absent.
   */
  lookupChild(dir: Path, name: string): Path | number {
    if (name.length > NAME_MAX) return -Errno.ENAMETOOLONG;
    const inode = dir.dentry.inode;
    const child = inode.fs.lookup(inode, name, this.task);
    if (typeof child === 'number') return child;
    return { mount: dir.mount, dentry: dir.dentry.child(name, child) };
  }

  /** One step: `.`, `..`, or a name (mounts followed; a symlink followed when `follow`). */
  step(dir: Path, name: string, follow: boolean): Path | number {
    if (name === '.') return dir;
    if (name === '..') return this.dotdot(dir);
    const child = this.lookupChild(dir, name);
    if (typeof child === 'number') return child;
    const p = followMounts(child);
    if (follow && isLnk(p.dentry.inode.mode)) return this.followLink(dir, p);
    return p;
  }

  /**
   * Follow the symlink `link` found in `dir`: its target resolves from `dir`
   * (or the root when absolute), following every symlink in it. The 41st link
   * of one lookup is ELOOP (pick_link).
   */
  followLink(dir: Path, link: Path): Path | number {
    const body = this.readLink(link);
    if (typeof body === 'number') return body;
    return this.resolve(dir, body, true);
  }

  /** Count one more symlink and read it: ELOOP past MAXSYMLINKS; an empty target is ENOENT. */
  readLink(link: Path): string | number {
    if (this.links++ >= MAXSYMLINKS) return -Errno.ELOOP;
    const inode = link.dentry.inode;
    const body = inode.fs.readlink(inode, this.task);
    if (typeof body === 'number') return body;
    if (body === '') return -Errno.ENOENT;
    return body;
  }

  /**
   * follow_dotdot: the parent, staying at the task's root, crossing from a
   * mount's root to its mountpoint's parent.
   */
  dotdot(dir: Path): Path {
    let p = dir;
    for (;;) {
      if (samePath(p, this.task.fs.root)) return p;
      if (p.dentry !== p.mount.root) break;
      if (p.mount.parent === null || p.mount.mountpoint === null) return p;
      p = { mount: p.mount.parent, dentry: p.mount.mountpoint };
    }
    return followMounts({ mount: p.mount, dentry: p.dentry.parent ?? p.dentry });
  }

  /**
   * lookup_last: the last component of a walked path. A trailing slash
   * follows a final symlink and requires a directory (LOOKUP_FOLLOW |
   * LOOKUP_DIRECTORY).
   */
  lookupLast(parent: Parent, follow: boolean): Path | number {
    let p: Path | number;
    switch (parent.type) {
      case 'root':
      case 'dot':
        return parent.dir;
      case 'dotdot':
        return this.dotdot(parent.dir);
      case 'norm':
        p = this.step(parent.dir, parent.last, follow || parent.trailingSlash);
    }
    if (typeof p === 'number') return p;
    if (parent.trailingSlash && !isDir(p.dentry.inode.mode)) return -Errno.ENOTDIR;
    return p;
  }

  /** A whole path (path_lookupat); `follow` says whether a final symlink is followed. */
  resolve(start: Path, path: string, follow: boolean): Path | number {
    const parent = this.walkParent(start, path);
    if (typeof parent === 'number') return parent;
    return this.lookupLast(parent, follow);
  }
}

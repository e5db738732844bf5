import { Errno, O, S } from '@tskern/abi';
import type { Credentials } from './credentials';
import { markLinkable } from './link';
import { mayCreate, newInodeAttrs } from './create';
import { Dentry } from './dentry';
import { refusesDirectIo } from './direct-io';
import type { FsTask } from './fs-context';
import type { Inode } from './inode';
import type { MappingIdentityProvider } from './mapping-identity-provider';
import { isDir, isLnk, isReg, S_IALLUGO } from './mode';
import { MNT } from './mount';
import { Namei, type Parent } from './namei';
import type { SpecialFiles } from './special-files';
import { OpenFileDescription } from './open-file-description';
import { followMounts, type Path } from './path';
import { inodePermission, isOwnerOrCapable, MAY_EXEC, MAY_READ, MAY_WRITE } from './permission';
import { truncateInode } from './truncate';

/** Every flag open(2) knows (VALID_OPEN_FLAGS); others are silently dropped. */
const VALID_OPEN_FLAGS = Object.values(O).reduce<number>((a, b) => a | b, 0);
/** O_TMPFILE without O_DIRECTORY (__O_TMPFILE). */
const O_TMPFILE_BIT = O.O_TMPFILE & ~O.O_DIRECTORY;
/** What O_PATH keeps (O_PATH_FLAGS). */
const O_PATH_FLAGS = O.O_DIRECTORY | O.O_NOFOLLOW | O.O_PATH | O.O_CLOEXEC;

/** The permission an access mode asks for (ACC_MODE): 3 asks for both, as O_RDWR. */
function accMode(flags: number): number {
  const acc = flags & O.O_ACCMODE;
  return acc === O.O_RDONLY ? MAY_READ : acc === O.O_WRONLY ? MAY_WRITE : MAY_READ | MAY_WRITE;
}

/** build_open_flags (fs/open.c) for open(2)/openat(2). */
interface OpenHow {
  flags: number;
  /** Full st_mode for a created file. */
  mode: number;
  acc: number;
  create: boolean;
  follow: boolean;
  wantDir: boolean;
}

function buildOpenFlags(rawFlags: number, rawMode: number): OpenHow | number {
  let flags = rawFlags & VALID_OPEN_FLAGS;
  if ((flags & O.O_PATH) !== 0) flags &= O_PATH_FLAGS; // build_open_how: O_PATH beats everything else
  const willCreate = (flags & (O.O_CREAT | O_TMPFILE_BIT)) !== 0;
  const mode = willCreate ? (rawMode & S_IALLUGO) | S.S_IFREG : 0;
  // Since Linux 6.4, O_DIRECTORY | O_CREAT is EINVAL (it used to create a regular file).
  if ((flags & (O.O_DIRECTORY | O.O_CREAT)) === (O.O_DIRECTORY | O.O_CREAT)) return -Errno.EINVAL;
  let acc = accMode(flags);
  if ((flags & O_TMPFILE_BIT) !== 0) {
    if ((flags & O.O_DIRECTORY) === 0 || (acc & MAY_WRITE) === 0) return -Errno.EINVAL;
  }
  if ((flags & O.O_PATH) !== 0) acc = 0;
  if ((flags & O.O_TRUNC) !== 0) acc |= MAY_WRITE;
  const create = (flags & O.O_CREAT) !== 0;
  // O_CREAT | O_EXCL never follows a final symlink.
  const follow = (flags & O.O_NOFOLLOW) === 0 && !(create && (flags & O.O_EXCL) !== 0);
  return { flags, mode, acc, create, follow, wantDir: (flags & O.O_DIRECTORY) !== 0 };
}

/**
 * may_open: a symlink is ELOOP (O_NOFOLLOW), a directory cannot be written
 * (EISDIR), a device node through a nodev mount is EACCES (may_open_dev),
 * then the inode's permission; O_NOATIME needs ownership.
 */
function mayOpen(cred: Credentials, inode: Inode, acc: number, flags: number, nodev: boolean): number {
  if (isLnk(inode.mode)) return -Errno.ELOOP;
  if (isDir(inode.mode)) {
    if ((acc & MAY_WRITE) !== 0) return -Errno.EISDIR;
    if ((acc & MAY_EXEC) !== 0) return -Errno.EACCES;
  }
  const type = inode.mode & S.S_IFMT;
  if ((type === S.S_IFBLK || type === S.S_IFCHR) && nodev && (flags & O.O_PATH) === 0) return -Errno.EACCES;
  const err = inodePermission(cred, inode, acc);
  if (err < 0) return err;
  if ((flags & O.O_NOATIME) !== 0 && !isOwnerOrCapable(cred, inode)) return -Errno.EPERM;
  return 0;
}

function newFile(
  task: FsTask,
  path: Path,
  flags: number,
  identities: MappingIdentityProvider | null,
  special: SpecialFiles | null = null,
): OpenFileDescription | number {
  const inode = path.dentry.inode;
  // do_dentry_open: O_DIRECT without FMODE_CAN_ODIRECT is EINVAL (a file O_CREAT made stays made).
  // A FIFO opened by name has no direct I/O either (Linux 6.18); pipe2's ends do not come here.
  if ((flags & O.O_DIRECT) !== 0 && (refusesDirectIo(inode) || (inode.mode & S.S_IFMT) === S.S_IFIFO)) return -Errno.EINVAL;
  let ops = null;
  if (inode.open !== undefined && (flags & O.O_PATH) === 0) {
    const r = inode.open(flags, task);
    if (typeof r === 'number') return r;
    ops = r;
  } else if (special?.handles(inode) === true && (flags & O.O_PATH) === 0) {
    // init_special_inode's file operations: the driver by st_rdev, a FIFO's pipe, ENXIO for a socket.
    const r = special.open(inode, flags, task);
    if (typeof r === 'number') return r;
    ops = r;
  }
  return new OpenFileDescription(path, flags, ops, identities, task.cred);
}

/** O_PATH (do_o_path): the path only, no permission on the file itself. */
function openPathOnly(nd: Namei, start: Path, path: string, how: OpenHow, identities: MappingIdentityProvider | null) {
  const p = nd.resolve(start, path, how.follow);
  if (typeof p === 'number') return p;
  if (how.wantDir && !isDir(p.dentry.inode.mode)) return -Errno.ENOTDIR;
  return newFile(nd.task, p, how.flags, identities);
}

/** O_TMPFILE (do_tmpfile + vfs_tmpfile): an unlinked file in the directory `path`. */
function openTmpfile(nd: Namei, start: Path, path: string, how: OpenHow, identities: MappingIdentityProvider | null) {
  const dir = nd.resolve(start, path, true);
  if (typeof dir === 'number') return dir;
  const dirInode = dir.dentry.inode;
  if (!isDir(dirInode.mode)) return -Errno.ENOTDIR;
  const err = mayCreate(nd.task.cred, dirInode);
  if (err < 0) return err;
  const fs = dirInode.fs;
  if (fs.tmpfile === undefined) return -Errno.EOPNOTSUPP;
  const inode = fs.tmpfile(dirInode, newInodeAttrs(nd.task, dirInode, how.mode));
  if (typeof inode === 'number') return inode;
  // Without O_EXCL, linkat may give it a name later (I_LINKABLE).
  if ((how.flags & O.O_EXCL) === 0) markLinkable(inode);
  // d_tmpfile names it "#<ino>" in the directory, already unlinked.
  const dentry = new Dentry(`#${inode.ino}`, dir.dentry, inode);
  dentry.detach();
  return newFile(nd.task, { mount: dir.mount, dentry }, how.flags & ~O_TMPFILE_BIT, identities);
}

/**
 * open(2)/openat(2) as fs/namei.c:path_openat: walk to the last component,
 * then open_last_lookups (create under O_CREAT, follow a final symlink unless
 * O_NOFOLLOW or O_CREAT|O_EXCL, a dangling one being created through), then
 * do_open (EEXIST, EISDIR, ENOTDIR, may_open, O_TRUNC). Returns the new
 * description holding one reference for the caller. `path` is non-empty and
 * shorter than PATH_MAX (the caller checks, as getname).
 */
export function openFile(
  task: FsTask,
  path: string,
  rawFlags: number,
  rawMode: number,
  at: Path | undefined,
  identities: MappingIdentityProvider | null,
  special: SpecialFiles | null = null,
): OpenFileDescription | number {
  const how = buildOpenFlags(rawFlags, rawMode);
  if (typeof how === 'number') return how;
  const nd = new Namei(task);
  const start = nd.start(path, at);
  if ((how.flags & O_TMPFILE_BIT) !== 0) return openTmpfile(nd, start, path, how, identities);
  if ((how.flags & O.O_PATH) !== 0) return openPathOnly(nd, start, path, how, identities);

  let parent: Parent | number = nd.walkParent(start, path);
  let created = false;
  let wantDir = how.wantDir;
  let final: Path;
  for (;;) {
    if (typeof parent === 'number') return parent;
    if (parent.type !== 'norm') {
      const p = nd.lookupLast(parent, true);
      if (typeof p === 'number') return p;
      final = p;
      break;
    }
    if (parent.trailingSlash) {
      if (how.create) return -Errno.EISDIR;
      wantDir = true; // LOOKUP_FOLLOW | LOOKUP_DIRECTORY
    }
    const child = nd.lookupChild(parent.dir, parent.last);
    if (typeof child === 'number') {
      if (child !== -Errno.ENOENT || !how.create) return child;
      const dirInode = parent.dir.dentry.inode;
      const err = mayCreate(task.cred, dirInode);
      if (err < 0) return err;
      const inode = dirInode.fs.create?.(dirInode, parent.last, newInodeAttrs(task, dirInode, how.mode)) ?? -Errno.EACCES;
      if (typeof inode === 'number') return inode;
      final = { mount: parent.dir.mount, dentry: parent.dir.dentry.child(parent.last, inode) };
      created = true;
      break;
    }
    const p = followMounts(child);
    if (isLnk(p.dentry.inode.mode) && (how.follow || parent.trailingSlash)) {
      const body = nd.readLink(p);
      if (typeof body === 'number') return body;
      parent = nd.walkParent(parent.dir, body);
      continue;
    }
    final = p;
    break;
  }

  // do_open
  const inode = final.dentry.inode;
  if (how.create) {
    if ((how.flags & O.O_EXCL) !== 0 && !created) return -Errno.EEXIST;
    if (isDir(inode.mode)) return -Errno.EISDIR;
  }
  if (wantDir && !isDir(inode.mode)) return -Errno.ENOTDIR;
  // A file this open created is opened as asked whatever its mode, and not truncated.
  const acc = created ? 0 : how.acc;
  const truncate = !created && isReg(inode.mode) && (how.flags & O.O_TRUNC) !== 0;
  const err = mayOpen(task.cred, inode, acc, how.flags, (final.mount.flags & MNT.NODEV) !== 0);
  if (err < 0) return err;
  const file = newFile(task, final, how.flags, identities, special);
  if (typeof file === 'number') return file;
  if (truncate) {
    const terr = truncateInode(task.cred, inode, 0, true); // handle_truncate
    if (terr < 0) {
      file.decRef();
      return terr;
    }
  }
  return file;
}

/**
 * build_open_flags' verdict alone: 0, or -EINVAL for a combination open(2)
 * rejects (O_DIRECTORY|O_CREAT, O_TMPFILE without write access). Linux checks
 * this before it even reads the path, so the syscall layer calls it first.
 */
export function checkOpenFlags(flags: number): number {
  const how = buildOpenFlags(flags, 0);
  return typeof how === 'number' ? how : 0;
}

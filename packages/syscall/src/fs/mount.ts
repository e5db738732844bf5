import { CAP, Errno, MOUNT, UMOUNT } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { capable, MNT, type FileSystemType, type FsTask, type Mount, type Path, type Vfs } from '@tskern/vfs';
import { readPath } from './args';
import { openMountDevice } from './mount-device';
import { copyMountOptions, copyMountString, parseMountData } from './mount-request';

/** MNT_NOATIME | MNT_NODIRATIME | MNT_RELATIME: what a remount keeps unless told. */
const MNT_ATIME_MASK = MNT.NOATIME | MNT.NODIRATIME | MNT.RELATIME;
const PROPAGATION = MOUNT.MS_SHARED | MOUNT.MS_PRIVATE | MOUNT.MS_SLAVE | MOUNT.MS_UNBINDABLE;

/** may_mount: CAP_SYS_ADMIN (in the caller's mount namespace, which is the only one). */
function mayMount(task: Task): boolean {
  return capable(task.cred, CAP.CAP_SYS_ADMIN);
}

/** path_mounted: `p` is the root of its mount (what remount and umount name). */
function isMountRoot(p: Path): boolean {
  return p.dentry === p.mount.root;
}

/** path_mount's per-mount flags from mount(2)'s flags. */
function mountFlags(flags: number, current: Mount): number {
  let f = (flags & MOUNT.MS_NOATIME) === 0 ? MNT.RELATIME : 0;
  if (flags & MOUNT.MS_NOSUID) f |= MNT.NOSUID;
  if (flags & MOUNT.MS_NODEV) f |= MNT.NODEV;
  if (flags & MOUNT.MS_NOEXEC) f |= MNT.NOEXEC;
  if (flags & MOUNT.MS_NOATIME) f |= MNT.NOATIME;
  if (flags & MOUNT.MS_NODIRATIME) f |= MNT.NODIRATIME;
  if (flags & MOUNT.MS_STRICTATIME) f &= ~(MNT.RELATIME | MNT.NOATIME);
  if (flags & MOUNT.MS_RDONLY) f |= MNT.READONLY;
  if (flags & MOUNT.MS_NOSYMFOLLOW) f |= MNT.NOSYMFOLLOW;
  // The default atime for a remount is the mount's own.
  const atime = MOUNT.MS_NOATIME | MOUNT.MS_NODIRATIME | MOUNT.MS_RELATIME | MOUNT.MS_STRICTATIME;
  if ((flags & MOUNT.MS_REMOUNT) !== 0 && (flags & atime) === 0) f = (f & ~MNT_ATIME_MASK) | (current.flags & MNT_ATIME_MASK);
  return f;
}

/**
 * mount(2) (fs/namespace.c: SYSCALL_DEFINE5(mount), do_mount, path_mount):
 * the strings are copied first (EFAULT), then the target is looked up
 * (ENOENT, ENOTDIR, ...), then the caller must hold CAP_SYS_ADMIN (EPERM).
 * MS_REMOUNT reconfigures the mount at `target`; MS_BIND mounts what
 * `source` names on `target`; otherwise `fstype` (ENODEV when unknown)
 * makes a new instance from the option string `data`.
 */
export function sysMount(task: Task, sourceAddr: number, targetAddr: number, typeAddr: number, flags0: number, dataAddr: number): number {
  const fstype = copyMountString(task.mem, typeAddr);
  if (typeof fstype === 'number') return fstype;
  const source = copyMountString(task.mem, sourceAddr);
  if (typeof source === 'number') return source;
  const data = copyMountOptions(task.mem, dataAddr);
  if (typeof data === 'number') return data;
  const targetName = readPath(task.mem, targetAddr);
  if (typeof targetName === 'number') return targetName;
  const target = task.vfs.lookup(task, targetName, true);
  if (typeof target === 'number') return target;
  // flags is an unsigned long; only the low 32 bits name flags.
  let flags = flags0 >>> 0;
  if ((flags & MOUNT.MS_MGC_MSK) >>> 0 === MOUNT.MS_MGC_VAL) flags &= ~MOUNT.MS_MGC_MSK;
  flags >>>= 0;
  if ((flags & MOUNT.MS_NOUSER) !== 0) return -Errno.EINVAL;
  if (!mayMount(task)) return -Errno.EPERM;
  const mntFlags = mountFlags(flags, target.mount);
  const readOnly = (flags & MOUNT.MS_RDONLY) !== 0;

  if ((flags & (MOUNT.MS_REMOUNT | MOUNT.MS_BIND)) === (MOUNT.MS_REMOUNT | MOUNT.MS_BIND)) {
    // do_reconfigure_mnt: only the per-mount flags change. tskern's VFS
    // checks read-only per file system, not per mount, so a read-only bind
    // remount cannot be honoured: refused rather than shown and not enforced.
    if (!isMountRoot(target)) return -Errno.EINVAL;
    if (readOnly !== target.mount.fs.readOnly) return -Errno.EINVAL;
    target.mount.flags = mntFlags;
    return 0;
  }
  if (flags & MOUNT.MS_REMOUNT) return remount(task, target, data, readOnly, mntFlags);
  if (flags & MOUNT.MS_BIND) return bind(task, source, target, (flags & MOUNT.MS_REC) !== 0);
  if (flags & PROPAGATION) return changeType(target, flags);
  // MS_MOVE (do_move_mount_old) is not implemented: tskern's mounts cannot change parent.
  if (flags & MOUNT.MS_MOVE) return -Errno.EINVAL;
  return mountNewInstance(task.vfs, task, target, fstype, source, data, readOnly, mntFlags);
}

/** do_new_mount: a new instance of the type named `fstype`, grafted on `target`. */
/**
 * do_new_mount: a new instance of `fstype` from `source` and the option
 * string `data`, grafted on `target` with the per-mount flags `mntFlags`;
 * for a type that needs a block device, the device `source` names is
 * claimed for it (get_tree_bdev). mount(2) calls it after its checks; the
 * composition root calls it to mount a disk image before a program starts.
 */
export function mountNewInstance(
  vfs: Vfs,
  task: FsTask,
  target: Path,
  fstype: string | null,
  source: string | null,
  data: string | null,
  readOnly: boolean,
  mntFlags: number,
): number {
  if (fstype === null) return -Errno.EINVAL;
  const type = vfs.fileSystemTypes.get(fstype);
  if (type === undefined) return -Errno.ENODEV;
  const parsed = parseMountData(data, source !== null);
  if (typeof parsed === 'number') return parsed;
  const ro = parsed.readOnly ?? readOnly;
  const name = source ?? parsed.source ?? 'none';
  if (!type.requiresDevice) {
    const fs = type.mount({ source: name, parameters: parsed.parameters, readOnly: ro, uid: task.cred.fsuid, gid: task.cred.fsgid });
    if (typeof fs === 'number') return fs;
    return vfs.mountAt(target, fs, { source: name, flags: mntFlags });
  }
  // get_tree_bdev: the device named by the source path, claimed for the new superblock.
  const opened = openMountDevice(vfs, task, source ?? parsed.source ?? null, type.name, ro);
  if (typeof opened === 'number') return opened;
  if (opened.existing !== undefined) return vfs.mountAt(target, opened.existing, { source: name, flags: mntFlags });
  const fs = type.mount({ source: name, parameters: parsed.parameters, readOnly: ro, uid: task.cred.fsuid, gid: task.cred.fsgid, device: opened.device });
  if (typeof fs === 'number') {
    opened.failed();
    return fs;
  }
  const err = vfs.mountAt(target, fs, { source: name, flags: mntFlags });
  if (err < 0) {
    fs.sync?.();
    fs.shutdown?.();
    opened.failed();
    return err;
  }
  opened.mounted(fs);
  return 0;
}

/** do_remount: the file system's reconfigure with the new options, then the mount's flags. */
function remount(task: Task, target: Path, data: string | null, readOnly: boolean, mntFlags: number): number {
  if (!isMountRoot(target)) return -Errno.EINVAL;
  const fs = target.mount.fs;
  const type: FileSystemType | undefined = task.vfs.fileSystemTypes.get(fs.type);
  const parsed = parseMountData(data, true);
  if (typeof parsed === 'number') return parsed;
  const ro = parsed.readOnly ?? readOnly;
  // A file system of a type mount(2) cannot make (proc, devtmpfs at boot) keeps its state.
  if (type === undefined) {
    if (ro !== fs.readOnly) return -Errno.EINVAL;
  } else {
    // sb_prepare_remount_readonly: no mount of the file system may have a file open for writing.
    const prepareReadOnly = () => (task.vfs.mounts().some((m) => m.fs === fs && m.writers > 0) ? -Errno.EBUSY : 0);
    const err = type.reconfigure(fs, { source: target.mount.source, parameters: parsed.parameters, readOnly: ro, uid: task.cred.fsuid, gid: task.cred.fsgid, prepareReadOnly });
    if (err < 0) return err;
  }
  target.mount.flags = mntFlags;
  return 0;
}

/** do_loopback: mount what `sourceName` names on `target`; with MS_REC the mounts under it too (copy_tree). */
function bind(task: Task, sourceName: string | null, target: Path, recursive: boolean): number {
  if (sourceName === null || sourceName === '') return -Errno.EINVAL;
  const source = task.vfs.lookup(task, sourceName, true);
  if (typeof source === 'number') return source;
  const err = task.vfs.bindMount(source, target);
  if (err < 0 || !recursive) return err;
  return bindChildren(task, source, task.vfs.displayPath(target));
}

/** copy_tree's walk: each mount inside the bound subtree `from` bound again at the same place under `to` (a path name). */
function bindChildren(task: Task, from: Path, to: string): number {
  for (const [point, child] of [...from.mount.children].sort((a, b) => a[1].id - b[1].id)) {
    const rel = relativeNames(point, from.dentry);
    if (rel === null) continue;
    const where = `${to === '/' ? '' : to}/${rel.join('/')}`;
    const at = task.vfs.lookup(task, where, false);
    if (typeof at === 'number') return at;
    const src: Path = { mount: child, dentry: child.root };
    const err = task.vfs.bindMount(src, at);
    if (err < 0) return err;
    const e2 = bindChildren(task, src, where);
    if (e2 < 0) return e2;
  }
  return 0;
}

interface Named {
  readonly parent: Named | null;
  readonly name: string;
}

/** The names from `top` down to `d`, or null when `d` is not below `top` (the bound subtree). */
function relativeNames(d: Named, top: Named): string[] | null {
  const out: string[] = [];
  for (let c: Named | null = d; c !== null; c = c.parent) {
    if (c === top) return out.reverse();
    out.push(c.name);
  }
  return null;
}

/**
 * do_change_type: exactly one propagation type (MS_REC and MS_SILENT
 * aside) on a mount's root, else EINVAL. tskern has one mount namespace and
 * no propagation, so every mount is private: MS_PRIVATE and MS_SLAVE (a
 * slave of nothing) hold already; MS_SHARED and MS_UNBINDABLE, which would
 * change what later mounts do, are refused (EINVAL) rather than ignored.
 */
function changeType(target: Path, flags: number): number {
  if (!isMountRoot(target)) return -Errno.EINVAL;
  const type = flags & ~(MOUNT.MS_REC | MOUNT.MS_SILENT);
  if (type !== MOUNT.MS_PRIVATE && type !== MOUNT.MS_SLAVE && type !== MOUNT.MS_SHARED && type !== MOUNT.MS_UNBINDABLE) return -Errno.EINVAL;
  return type === MOUNT.MS_PRIVATE || type === MOUNT.MS_SLAVE ? 0 : -Errno.EINVAL;
}

/** Mounts marked by a first MNT_EXPIRE (mnt_expiry_mark). */
const expiryMarks = new WeakSet<Mount>();

/**
 * umount2(2) (ksys_umount, path_umount, do_umount): unknown flags are
 * EINVAL before the lookup; the target's final symlink is followed unless
 * UMOUNT_NOFOLLOW; EPERM without CAP_SYS_ADMIN; EINVAL when the target is
 * not the root of a mount; EBUSY while the mount is in use unless
 * MNT_DETACH. MNT_FORCE asks the file system to abort (umount_begin: none of
 * tskern's has one). MNT_EXPIRE (not with FORCE or DETACH) marks an unused
 * mount the first time (EAGAIN) and unmounts it the second.
 */
export function sysUmount2(task: Task, targetAddr: number, flags: number): number {
  const all = UMOUNT.MNT_FORCE | UMOUNT.MNT_DETACH | UMOUNT.MNT_EXPIRE | UMOUNT.UMOUNT_NOFOLLOW;
  if ((flags & ~all) !== 0) return -Errno.EINVAL;
  const name = readPath(task.mem, targetAddr);
  if (typeof name === 'number') return name;
  const target = task.vfs.lookup(task, name, (flags & UMOUNT.UMOUNT_NOFOLLOW) === 0);
  if (typeof target === 'number') return target;
  if (!mayMount(task)) return -Errno.EPERM;
  if (!isMountRoot(target)) return -Errno.EINVAL;
  const m = target.mount;
  if (m === task.vfs.root.mount) return -Errno.EINVAL; // the namespace's root (check_mnt / MNT_LOCKED)
  if (flags & UMOUNT.MNT_EXPIRE) {
    if (m === task.fs.root.mount || (flags & (UMOUNT.MNT_FORCE | UMOUNT.MNT_DETACH)) !== 0) return -Errno.EINVAL;
    if (m.users > 0 || m.children.size > 0) return -Errno.EBUSY;
    if (!expiryMarks.has(m)) {
      expiryMarks.add(m);
      return -Errno.EAGAIN;
    }
  }
  return task.vfs.umount(m, (flags & UMOUNT.MNT_DETACH) !== 0);
}

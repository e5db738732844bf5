import { Errno, O } from '@tskern/abi';
import type { ExecFile } from '@tskern/elf';
import type { Task } from '@tskern/tasks';
import { Credentials, MAY_EXEC, inodePermission, isDir, isReg, type FileSystem, type OpenFileDescription, type Vfs } from '@tskern/vfs';

/** The kernel's side of a file execve opened: the open file (for reads and mappings) and its path (d_path). */
export interface ExecHandle {
  readonly file: OpenFileDescription;
  /** The absolute path of the file, symlinks resolved (what /proc/[pid]/exe shows). */
  readonly path: string;
}

/**
 * open_exec (fs/exec.c do_open_execat) for `task`: the lookup follows
 * symlinks with the caller's search permissions; may_open with MAY_EXEC
 * answers EACCES for anything but a regular file and for a file on a
 * noexec mount, then the inode's execute permission (root needs one x
 * bit). The file is opened for reading whatever its read permission (the
 * kernel reads it, FMODE_READ). Every file opened goes into `opened`, for
 * the caller to release.
 */
export function openExec(
  vfs: Vfs, task: Task, path: string, noexec: (fs: FileSystem) => boolean, opened: OpenFileDescription[],
): ExecFile<ExecHandle> | number {
  const p = vfs.lookup(task, path, true);
  if (typeof p === 'number') return p;
  const inode = p.dentry.inode;
  if (isDir(inode.mode) || !isReg(inode.mode)) return -Errno.EACCES;
  if (p.mount.noexec || noexec(p.mount.fs)) return -Errno.EACCES;
  const err = inodePermission(task.cred, inode, MAY_EXEC);
  if (err < 0) return err;
  // The kernel's own open: as root through the same fs context, so the
  // file's read permission does not matter (a mode 0111 binary runs).
  const file = vfs.open({ fs: task.fs, cred: Credentials.root(), pid: task.pid }, path, O.O_RDONLY, 0);
  if (typeof file === 'number') return file;
  opened.push(file);
  const handle: ExecHandle = { file, path: vfs.displayPath(p) };
  return {
    handle,
    read(offset: number, length: number): Uint8Array | number {
      const buf = new Uint8Array(length);
      const n = file.pread(buf, 0, length, offset);
      return n < 0 ? n : buf.subarray(0, n);
    },
  };
}

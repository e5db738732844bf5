import { Errno, FD_CLOEXEC, O, SEEK } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { FdTable } from './index';
import type { BytesFile } from './testing/mem-fs';
import { enc, openOk, world } from './testing/world';

function setup(limit?: number) {
  const w = world();
  const files = new FdTable(limit);
  const f = openOk(w.vfs, w.user, 'f', O.O_RDWR | O.O_CREAT);
  return { ...w, files, f, inode: f.inode as BytesFile };
}

describe('FdTable', () => {
  it('hands out the lowest free descriptor', () => {
    const { files, f } = setup();
    expect(files.install(f, false)).toBe(0);
    expect(files.dup(0)).toBe(1);
    expect(files.dup(0)).toBe(2);
    expect(files.close(1)).toBe(0);
    expect(files.dup(0)).toBe(1);
    expect(files.size).toBe(3);
  });

  it('dup shares the file offset', () => {
    const { files, f } = setup();
    const a = files.install(f, false);
    const b = files.dup(a);
    expect(files.get(a)!.write(enc('hello'), 0, 5)).toBe(5);
    expect(files.get(b)!.lseek(0, SEEK.SEEK_CUR)).toBe(5);
    expect(files.get(a)).toBe(files.get(b));
  });

  it('is EMFILE at the limit', () => {
    const { files, f } = setup(3);
    files.install(f, false);
    expect(files.dup(0)).toBe(1);
    expect(files.dup(0)).toBe(2);
    expect(files.dup(0)).toBe(-Errno.EMFILE);
    expect(files.dupFrom(0, 0, false)).toBe(-Errno.EMFILE);
    expect(files.allocFd()).toBe(-Errno.EMFILE);
    expect(f.refCount).toBe(3);
  });

  it('default limit is 1024', () => {
    const { files, f } = setup();
    files.install(f, false);
    for (let i = 1; i < 1024; i++) expect(files.dup(0)).toBe(i);
    expect(files.dup(0)).toBe(-Errno.EMFILE);
  });

  it('closes close-on-exec descriptors at exec and keeps the others', () => {
    const { files, f, inode } = setup();
    files.install(f, false);
    expect(files.dupFrom(0, 5, true)).toBe(5);
    expect(files.getFdFlags(5)).toBe(FD_CLOEXEC);
    expect(files.getFdFlags(0)).toBe(0);
    expect(files.dup3(0, 7, O.O_CLOEXEC)).toBe(7);
    files.execCloseOnExec();
    expect(files.get(5)).toBeNull();
    expect(files.get(7)).toBeNull();
    expect(files.get(0)).toBe(f);
    expect(f.refCount).toBe(1);
    expect(inode.refCount).toBe(1);
  });

  it('F_SETFD toggles close-on-exec; dup and dup2 clear it', () => {
    const { files, f } = setup();
    files.install(f, true);
    expect(files.getFdFlags(0)).toBe(FD_CLOEXEC);
    expect(files.setFdFlags(0, 0)).toBe(0);
    expect(files.getFdFlags(0)).toBe(0);
    expect(files.setFdFlags(0, FD_CLOEXEC | 8)).toBe(0);
    expect(files.getFdFlags(0)).toBe(FD_CLOEXEC);
    expect(files.getFdFlags(0)).toBe(FD_CLOEXEC);
    expect(files.getFdFlags(3)).toBe(-Errno.EBADF);
    expect(files.setFdFlags(3, 0)).toBe(-Errno.EBADF);
    expect(files.getFdFlags(files.dup(0))).toBe(0);
    expect(files.dup2(0, 9)).toBe(9);
    expect(files.getFdFlags(9)).toBe(0);
  });

  it('dup2 and dup3 follow ksys_dup3', () => {
    const { files, f } = setup(16);
    files.install(f, false);
    expect(files.dup2(0, 0)).toBe(0);
    expect(files.dup2(4, 4)).toBe(-Errno.EBADF);
    expect(files.dup2(4, 5)).toBe(-Errno.EBADF);
    expect(files.dup2(0, 16)).toBe(-Errno.EBADF);
    expect(files.dup2(0, -1)).toBe(-Errno.EBADF);
    expect(files.dup3(0, 0, 0)).toBe(-Errno.EINVAL);
    expect(files.dup3(0, 1, O.O_NONBLOCK)).toBe(-Errno.EINVAL);
    expect(files.dup3(3, 16, 0)).toBe(-Errno.EBADF);
    expect(files.dupFrom(0, 16, false)).toBe(-Errno.EINVAL);
    expect(files.dupFrom(0, -1, false)).toBe(-Errno.EINVAL);
    expect(files.dupFrom(1, 0, false)).toBe(-Errno.EBADF);
  });

  it('dup2 over an open descriptor closes it', () => {
    const w = setup();
    const g = openOk(w.vfs, w.user, 'g', O.O_RDWR | O.O_CREAT);
    w.files.install(w.f, false);
    w.files.install(g, false);
    expect(w.files.dup2(0, 1)).toBe(1);
    expect(g.refCount).toBe(0);
    expect(w.files.get(1)).toBe(w.f);
  });

  it('close of a bad descriptor is EBADF', () => {
    const { files } = setup();
    expect(files.close(0)).toBe(-Errno.EBADF);
    expect(files.close(-1)).toBe(-Errno.EBADF);
    expect(files.close(1 << 20)).toBe(-Errno.EBADF);
  });

  it('fork shares descriptions; closing in one table leaves the other', () => {
    const { files, f } = setup();
    files.install(f, true);
    const child = files.fork();
    expect(child.get(0)).toBe(f);
    expect(child.getFdFlags(0)).toBe(FD_CLOEXEC);
    expect(f.refCount).toBe(2);
    child.get(0)!.write(enc('abc'), 0, 3);
    expect(files.get(0)!.pos).toBe(3);
    expect(child.close(0)).toBe(0);
    expect(files.get(0)).toBe(f);
    expect(f.refCount).toBe(1);
  });

  it('closeAll drops every reference; the inode goes with its last link', () => {
    const w = setup();
    w.files.install(w.f, false);
    w.files.dup(0);
    expect(w.vfs.unlink(w.user, 'f')).toBe(0);
    expect(w.inode.evictions).toBe(0);
    w.files.closeAll();
    expect(w.files.size).toBe(0);
    expect(w.inode.evictions).toBe(1);
  });

  it('reserved descriptors are skipped and can be given back', () => {
    const { files, f } = setup();
    const r = files.allocFd();
    expect(r).toBe(0);
    expect(files.get(0)).toBeNull();
    expect(files.install(f, false)).toBe(1);
    expect(files.dup3(1, 0, 0)).toBe(-Errno.EBUSY);
    files.freeReserved(0);
    expect(files.dup(1)).toBe(0);
  });
});

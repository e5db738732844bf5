import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { Errno, MAP, MS, O, PAGE_SIZE, PROT, S, SEEK, Signal } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { AddressSpace, load, memoryOptions, mmap, msync, munmap, standaloneSharedAnonymous, store } from '@tskern/mman';
import { ArenaFrameAllocator, assertNoFramesInUse, isFrame, PG } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostFs, FaultyHostBackend, HostFile, mountHost, type HostFs } from './index';
import { NodeHostBackend } from './node';
import { decodeText, encodeText, ok } from '@tskern/test-kit';

const P = PAGE_SIZE;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) nodeFs.rmSync(d, { recursive: true, force: true });
});

function setup(frameCount = 256) {
  const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'hostfs-'));
  dirs.push(dir);
  const frames = new ArenaFrameAllocator({ frames: frameCount });
  const backend = new FaultyHostBackend(new NodeHostBackend(dir));
  const host = ok(createHostFs({ backend, frames })) as HostFs;
  const vfs = new Vfs(new RamFs({ frames }), { mappingIdentities: new FileMappingRegistry() });
  expect(mountHost(vfs, host, '/mnt')).toBe(0);
  const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root(), pid: 1 };
  const hostFile = (name: string) => nodePath.join(dir, name);
  const onHost = (name: string) => nodeFs.readFileSync(hostFile(name), 'latin1');
  const space = () => new AddressSpace(memoryOptions(frames, standaloneSharedAnonymous(frames)));
  return { dir, frames, backend, host, vfs, root, hostFile, onHost, space };
}

function readAll(f: OpenFileDescription, pos = 0, len = 1 << 16): string {
  const buf = new Uint8Array(len);
  const n = f.pread(buf, 0, len, pos);
  expect(n).toBeGreaterThanOrEqual(0);
  return String.fromCharCode(...buf.subarray(0, n));
}

function write(f: OpenFileDescription, text: string, pos?: number): number {
  const b = encodeText(text);
  return pos === undefined ? f.write(b, 0, b.length) : f.pwrite(b, 0, b.length, pos);
}

describe('hostfs files through the VFS', () => {
  it('creates, writes and reads; the data reaches the host file on fsync and on close', () => {
    const { vfs, root, onHost, frames, host } = setup();
    const f = ok(vfs.open(root, '/mnt/a.txt', O.O_RDWR | O.O_CREAT, 0o640));
    expect(write(f, 'hello world')).toBe(11);
    expect(readAll(f)).toBe('hello world');
    expect(onHost('a.txt')).toBe(''); // still in the page cache
    expect(f.fsync(false)).toBe(0);
    expect(onHost('a.txt')).toBe('hello world');
    expect(write(f, 'HELLO')).toBe(5);
    f.decRef();
    expect(onHost('a.txt')).toBe('hello worldHELLO');
    expect(host.activeFiles()).toEqual([]);
    assertNoFramesInUse(frames);
    // The host applied its umask and ids; hostfs made them what the guest asked.
    expect(ok(vfs.stat(root, '/mnt/a.txt', true))).toMatchObject({ mode: S.S_IFREG | 0o640, size: 16, uid: 0 });
  });

  it('reads an existing host file page by page, on demand', () => {
    const { vfs, root, hostFile, backend, frames } = setup();
    const data = Buffer.alloc(3 * P + 100);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 251;
    nodeFs.writeFileSync(hostFile('big'), data);
    const f = ok(vfs.open(root, '/mnt/big', O.O_RDONLY, 0));
    expect(f.stat().size).toBe(3 * P + 100);
    const reads = backend.calls.read;
    const buf = new Uint8Array(10);
    expect(f.pread(buf, 0, 10, P + 5)).toBe(10);
    expect([...buf]).toEqual([...data.subarray(P + 5, P + 15)]);
    expect(backend.calls.read - reads).toBe(1);
    expect((f.inode as HostFile).cacheStats()).toEqual({ resident: 1, dirty: 0 });
    const all = new Uint8Array(data.length + 10);
    expect(f.pread(all, 0, all.length, 0)).toBe(data.length);
    expect(Buffer.from(all.subarray(0, data.length)).equals(data)).toBe(true);
    f.decRef();
    assertNoFramesInUse(frames);
  });

  it('partial writes read the rest of the page first; extending writes leave zeros between', () => {
    const { vfs, root, hostFile, onHost } = setup();
    nodeFs.writeFileSync(hostFile('f'), 'abcdefghij');
    const f = ok(vfs.open(root, '/mnt/f', O.O_RDWR, 0));
    expect(write(f, 'XY', 3)).toBe(2);
    expect(write(f, 'END', 2 * P)).toBe(3);
    expect(f.fsync(true)).toBe(0);
    const text = onHost('f');
    expect(text.length).toBe(2 * P + 3);
    expect(text.slice(0, 10)).toBe('abcXYfghij');
    expect(text.slice(10, 2 * P)).toBe('\0'.repeat(2 * P - 10));
    expect(text.slice(2 * P)).toBe('END');
    f.decRef();
  });

  it('O_TRUNC and O_APPEND', () => {
    const { vfs, root, hostFile, onHost } = setup();
    nodeFs.writeFileSync(hostFile('f'), 'old contents');
    const f = ok(vfs.open(root, '/mnt/f', O.O_WRONLY | O.O_TRUNC, 0));
    expect(onHost('f')).toBe('');
    f.decRef();
    const g = ok(vfs.open(root, '/mnt/f', O.O_WRONLY | O.O_APPEND, 0));
    expect(write(g, 'one')).toBe(3);
    expect(write(g, 'two', 0)).toBe(3);
    g.decRef();
    expect(onHost('f')).toBe('onetwo');
  });
});

describe('hostfs mappings', () => {
  it('PG.DIRTY marks the pages write-back has still to store, as /proc/kpageflags shows them', () => {
    const { vfs, root, space, frames } = setup();
    const f = ok(vfs.open(root, '/mnt/d', O.O_RDWR | O.O_CREAT, 0o644));
    expect(write(f, 'AAAAAAAAAA')).toBe(10);
    const file = f.inode as HostFile;
    const flagsAt = (offset: number): number => {
      const frame = file.translate(offset, false);
      if (!isFrame(frame)) throw new Error(`test: no frame (${frame})`);
      return frames.pageFlags(frame);
    };
    expect(flagsAt(0)).toBe(PG.UPTODATE | PG.LRU | PG.DIRTY);
    expect(f.fsync(false)).toBe(0);
    expect(flagsAt(0)).toBe(PG.UPTODATE | PG.LRU);
    // msync04: a store through a shared mapping dirties the page, msync(MS_SYNC) cleans it
    const as = space();
    const addr = mmap(as, 0, P, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED, ok(f.mmapSource()), 0);
    expect(store(as, addr + 8, encodeText('B'), 0, 1)).toBe(0);
    expect(flagsAt(0) & PG.DIRTY).toBe(PG.DIRTY);
    expect(msync(as, addr, P, MS.MS_SYNC)).toBe(0);
    expect(flagsAt(0) & PG.DIRTY).toBe(0);
    expect(as.pt.flags(addr / P)).not.toBe(0); // still mapped (page_mkclean write-protects, as pagemap shows on Linux)
    // write-notify: a load maps the clean page read-only, so a later store still faults and dirties it
    const got = new Uint8Array(1);
    expect(load(as, addr, got, 0, 1)).toBe(0);
    expect(flagsAt(0) & PG.DIRTY).toBe(0);
    expect(store(as, addr + 1, encodeText('C'), 0, 1)).toBe(0);
    expect(flagsAt(0) & PG.DIRTY).toBe(PG.DIRTY);
    expect(msync(as, addr, P, MS.MS_SYNC)).toBe(0);
    expect(store(as, addr + 2, encodeText('D'), 0, 1)).toBe(0); // cleaned pages are write-protected again
    expect(flagsAt(0) & PG.DIRTY).toBe(PG.DIRTY);
    expect(msync(as, addr, P, MS.MS_SYNC)).toBe(0);
    file.checkInvariants();
    // an unmap of a clean page leaves it clean (nothing to guess: every store was seen)
    expect(load(as, addr, got, 0, 1)).toBe(0);
    expect(munmap(as, addr, P)).toBe(0);
    expect(flagsAt(0) & PG.DIRTY).toBe(0);
    expect(readAll(f, 0, 10)).toBe('ACDAAAAABA');
    f.decRef();
  });

  it("a mapping's store reaches the host file after msync(MS_SYNC)", () => {
    const { vfs, root, hostFile, onHost, space, frames } = setup();
    nodeFs.writeFileSync(hostFile('m'), 'x'.repeat(2 * P));
    const f = ok(vfs.open(root, '/mnt/m', O.O_RDWR, 0));
    const as = space();
    const addr = mmap(as, 0, 2 * P, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED, ok(f.mmapSource()), 0);
    expect(addr).toBeGreaterThan(0);
    // A load first: the page is mapped writable without a write fault, so hostfs must still write it back.
    const got = new Uint8Array(4);
    expect(load(as, addr + P, got, 0, 4)).toBe(0);
    expect(decodeText(got)).toBe('xxxx');
    expect(store(as, addr + P + 1, encodeText('MAP'), 0, 3)).toBe(0);
    // read(2) sees the store at once: one page cache.
    expect(readAll(f, P, 5)).toBe('xMAPx');
    expect(onHost('m').slice(P, P + 5)).toBe('xxxxx');
    expect(msync(as, addr, 2 * P, MS.MS_SYNC)).toBe(0);
    expect(onHost('m').slice(P, P + 5)).toBe('xMAPx');
    // write(2) is seen by the mapping.
    expect(write(f, 'WR', 0)).toBe(2);
    expect(load(as, addr, got, 0, 4)).toBe(0);
    expect(decodeText(got)).toBe('WRxx');
    expect(munmap(as, addr, 2 * P)).toBe(0);
    f.decRef();
    expect(onHost('m').slice(0, 4)).toBe('WRxx');
    assertNoFramesInUse(frames);
  });

  it('stores reach the host on the last unmap after close, without msync', () => {
    const { vfs, root, hostFile, onHost, space, host, frames } = setup();
    nodeFs.writeFileSync(hostFile('m'), '.'.repeat(P));
    const f = ok(vfs.open(root, '/mnt/m', O.O_RDWR, 0));
    const as = space();
    const addr = mmap(as, 0, P, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED, ok(f.mmapSource()), 0);
    f.decRef(); // the mapping keeps the file open
    expect(store(as, addr + 10, encodeText('late'), 0, 4)).toBe(0);
    expect(host.activeFiles().length).toBe(1);
    expect(munmap(as, addr, P)).toBe(0);
    expect(onHost('m').slice(10, 14)).toBe('late');
    expect(host.activeFiles()).toEqual([]);
    assertNoFramesInUse(frames);
  });

  it('private mappings never reach the host; a page wholly past EOF is SIGBUS', () => {
    const { vfs, root, hostFile, onHost, space } = setup();
    nodeFs.writeFileSync(hostFile('p'), 'private');
    const f = ok(vfs.open(root, '/mnt/p', O.O_RDONLY, 0));
    const as = space();
    const addr = mmap(as, 0, 2 * P, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE, ok(f.mmapSource()), 0);
    expect(store(as, addr, encodeText('PRIV'), 0, 4)).toBe(0);
    expect(store(as, addr + P, encodeText('x'), 0, 1)).toBe(Signal.SIGBUS);
    expect(msync(as, addr, P, MS.MS_SYNC)).toBe(0);
    expect(munmap(as, addr, 2 * P)).toBe(0);
    f.decRef();
    expect(onHost('p')).toBe('private');
  });

  it('shrinking truncate invalidates mappings (SIGBUS past EOF), reaches the host at once; growing reads zeros', () => {
    const { vfs, root, hostFile, space } = setup();
    nodeFs.writeFileSync(hostFile('t'), 'y'.repeat(3 * P));
    const f = ok(vfs.open(root, '/mnt/t', O.O_RDWR, 0));
    const as = space();
    const addr = mmap(as, 0, 3 * P, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED, ok(f.mmapSource()), 0);
    const priv = mmap(as, 0, 3 * P, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE, ok(f.mmapSource()), 0);
    const b = new Uint8Array(1);
    expect(load(as, addr + 2 * P, b, 0, 1)).toBe(0);
    expect(store(as, priv + 2 * P, encodeText('c'), 0, 1)).toBe(0); // a private COW copy
    expect(f.truncate(P + 10, root.cred)).toBe(0);
    expect(nodeFs.statSync(hostFile('t')).size).toBe(P + 10);
    expect(load(as, addr + 2 * P, b, 0, 1)).toBe(Signal.SIGBUS);
    expect(load(as, priv + 2 * P, b, 0, 1)).toBe(Signal.SIGBUS);
    expect(load(as, addr + P + 20, b, 0, 1)).toBe(0);
    expect(b[0]).toBe(0); // past EOF in the EOF page: zero
    expect(vfs.truncate(root, '/mnt/t', 3 * P)).toBe(0);
    expect(readAll(f, P + 5, 10)).toBe('yyyyy\0\0\0\0\0');
    expect(load(as, addr + 2 * P, b, 0, 1)).toBe(0);
    expect(b[0]).toBe(0);
    expect(munmap(as, addr, 3 * P)).toBe(0);
    expect(munmap(as, priv, 3 * P)).toBe(0);
    f.decRef();
    expect(nodeFs.readFileSync(hostFile('t')).subarray(P + 5).every((x, i) => (i < 5 ? x === 121 : x === 0))).toBe(true);
  });
});

describe('hostfs host errors', () => {
  it('a failed write-back is -EIO, the data stays dirty, and a later fsync writes it', () => {
    const { vfs, root, onHost, backend, frames } = setup();
    const f = ok(vfs.open(root, '/mnt/e', O.O_RDWR | O.O_CREAT, 0o600));
    expect(write(f, 'precious')).toBe(8);
    backend.failNext('write');
    expect(f.fsync(false)).toBe(-Errno.EIO);
    expect(onHost('e')).toBe('');
    expect((f.inode as HostFile).cacheStats().dirty).toBe(1);
    expect(f.fsync(false)).toBe(0);
    expect(onHost('e')).toBe('precious');
    // A failing fsync keeps the pages dirty too.
    expect(write(f, 'PRE')).toBe(3);
    backend.failNext('fsync');
    expect(f.fsync(true)).toBe(-Errno.EIO);
    expect((f.inode as HostFile).cacheStats().dirty).toBe(1);
    expect(f.fsync(true)).toBe(0);
    f.decRef();
    assertNoFramesInUse(frames);
  });

  it('msync of a mapping after an injected failure: -EIO, then success with the data intact', () => {
    const { vfs, root, hostFile, onHost, backend, space } = setup();
    nodeFs.writeFileSync(hostFile('m'), '-'.repeat(P));
    const f = ok(vfs.open(root, '/mnt/m', O.O_RDWR, 0));
    const as = space();
    const addr = mmap(as, 0, P, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED, ok(f.mmapSource()), 0);
    expect(store(as, addr, encodeText('keep me'), 0, 7)).toBe(0);
    backend.failNext('write', 3);
    expect(msync(as, addr, P, MS.MS_SYNC)).toBe(-Errno.EIO);
    expect(onHost('m').slice(0, 7)).toBe('-------');
    backend.reset();
    expect(msync(as, addr, P, MS.MS_SYNC)).toBe(0);
    expect(onHost('m').slice(0, 7)).toBe('keep me');
    expect(munmap(as, addr, P)).toBe(0);
    f.decRef();
  });

  it('a failed write-back at the last close keeps the cache; HostFs.sync writes it later', () => {
    const { vfs, root, onHost, backend, host, frames } = setup();
    const f = ok(vfs.open(root, '/mnt/c', O.O_RDWR | O.O_CREAT, 0o600));
    expect(write(f, 'not lost')).toBe(8);
    backend.failNext('write', Infinity);
    f.decRef();
    expect(onHost('c')).toBe('');
    expect(host.activeFiles().length).toBe(1);
    expect(host.sync()).toBe(-Errno.EIO);
    // Reopening sees the cached data, not the stale host file.
    const g = ok(vfs.open(root, '/mnt/c', O.O_RDONLY, 0));
    expect(readAll(g)).toBe('not lost');
    g.decRef();
    backend.reset();
    expect(host.sync()).toBe(0);
    expect(onHost('c')).toBe('not lost');
    expect(host.activeFiles()).toEqual([]);
    assertNoFramesInUse(frames);
  });

  it('a failed host read is -EIO for read(2) and SIGBUS for a mapping; nothing is cached', () => {
    const { vfs, root, hostFile, backend, space } = setup();
    nodeFs.writeFileSync(hostFile('r'), 'z'.repeat(2 * P));
    const f = ok(vfs.open(root, '/mnt/r', O.O_RDONLY, 0));
    backend.failNext('read');
    expect(f.pread(new Uint8Array(4), 0, 4, 0)).toBe(-Errno.EIO);
    expect((f.inode as HostFile).cacheStats().resident).toBe(0);
    // A read spanning two pages whose second page fails is short.
    expect(f.pread(new Uint8Array(4), 0, 4, 0)).toBe(4);
    backend.failNext('read');
    expect(f.pread(new Uint8Array(P + 10), 0, P + 10, 10)).toBe(P - 10);
    const as = space();
    const addr = mmap(as, 0, 2 * P, PROT.PROT_READ, MAP.MAP_SHARED, ok(f.mmapSource()), 0);
    backend.failNext('read');
    expect(load(as, addr + P, new Uint8Array(1), 0, 1)).toBe(Signal.SIGBUS);
    expect(load(as, addr + P, new Uint8Array(1), 0, 1)).toBe(0);
    expect(munmap(as, addr, 2 * P)).toBe(0);
    f.decRef();
  });

  it('a failing host truncate changes nothing', () => {
    const { vfs, root, hostFile, backend } = setup();
    nodeFs.writeFileSync(hostFile('t'), 'abc');
    const f = ok(vfs.open(root, '/mnt/t', O.O_RDWR, 0));
    backend.failNext('truncate');
    expect(f.truncate(1, root.cred)).toBe(-Errno.EIO);
    expect(f.stat().size).toBe(3);
    expect(readAll(f)).toBe('abc');
    f.decRef();
  });
});

describe('hostfs directories', () => {
  it('readdir, mkdir, rmdir, symlink and readlink go to the host', () => {
    const { vfs, root, hostFile, dir } = setup();
    nodeFs.writeFileSync(hostFile('one'), '1');
    nodeFs.mkdirSync(hostFile('sub'));
    expect(vfs.mkdir(root, '/mnt/made', 0o750)).toBe(0);
    expect(nodeFs.statSync(hostFile('made')).mode & 0o7777).toBe(0o750);
    expect(vfs.symlink(root, 'one', '/mnt/link')).toBe(0);
    expect(nodeFs.readlinkSync(hostFile('link'))).toBe('one');
    expect(vfs.readlink(root, '/mnt/link')).toBe('one');
    // The VFS follows the link inside the guest tree.
    const viaLink = ok(vfs.open(root, '/mnt/link', O.O_RDONLY, 0));
    expect(readAll(viaLink)).toBe('1');
    viaLink.decRef();

    const d = ok(vfs.open(root, '/mnt', O.O_RDONLY | O.O_DIRECTORY, 0));
    const seen: [string, number][] = [];
    d.iterateDir((name, _ino, type) => (seen.push([name, type]), true), root);
    expect(seen.sort()).toEqual(
      [
        ['.', 4],
        ['..', 4],
        ['link', 10],
        ['made', 4],
        ['one', 8],
        ['sub', 4],
      ].sort(),
    );
    // Resuming after a removal neither repeats nor skips.
    const d2 = ok(vfs.open(root, '/mnt', O.O_RDONLY | O.O_DIRECTORY, 0));
    const first: string[] = [];
    d2.iterateDir((name) => (first.length < 3 ? (first.push(name), true) : false), root);
    expect(vfs.rmdir(root, '/mnt/made')).toBe(0);
    expect(nodeFs.existsSync(hostFile('made'))).toBe(false);
    const rest: string[] = [];
    d2.iterateDir((name) => (rest.push(name), true), root);
    expect([...first, ...rest].filter((n) => n !== 'made').sort()).toEqual(['.', '..', 'link', 'one', 'sub']);
    d.decRef();
    d2.decRef();
    expect(vfs.rmdir(root, '/mnt')).toBe(-Errno.EBUSY);
    nodeFs.writeFileSync(nodePath.join(dir, 'sub', 'x'), '');
    expect(vfs.rmdir(root, '/mnt/sub')).toBe(-Errno.ENOTEMPTY);
    expect(vfs.stat(root, '/mnt/none', true)).toBe(-Errno.ENOENT);
  });

  it('rename moves the host file; an open description keeps working and writes land at the new name', () => {
    const { vfs, root, hostFile, onHost } = setup();
    expect(vfs.mkdir(root, '/mnt/d', 0o755)).toBe(0);
    const f = ok(vfs.open(root, '/mnt/d/f', O.O_RDWR | O.O_CREAT, 0o644));
    expect(write(f, 'first')).toBe(5);
    expect(vfs.rename(root, '/mnt/d/f', '/mnt/d/g')).toBe(0);
    expect(nodeFs.existsSync(hostFile('d/f'))).toBe(false);
    expect(vfs.rename(root, '/mnt/d', '/mnt/e')).toBe(0);
    expect(write(f, '+more')).toBe(5);
    expect(f.fsync(false)).toBe(0);
    expect(onHost('e/g')).toBe('first+more');
    // Truncate by path after the directory moved uses the new path.
    f.decRef();
    expect(vfs.truncate(root, '/mnt/e/g', 5)).toBe(0);
    expect(onHost('e/g')).toBe('first');
    // Replacing a file by rename.
    nodeFs.writeFileSync(hostFile('e/h'), 'victim');
    expect(vfs.rename(root, '/mnt/e/g', '/mnt/e/h')).toBe(0);
    expect(onHost('e/h')).toBe('first');
  });

  it('an unlinked open file stays readable and writable through its description; nothing is left', () => {
    const { vfs, root, hostFile, frames, host } = setup();
    nodeFs.writeFileSync(hostFile('u'), 'u'.repeat(P + 5));
    const f = ok(vfs.open(root, '/mnt/u', O.O_RDWR, 0));
    expect(readAll(f, 0, 3)).toBe('uuu'); // one page cached, the rest still on the host
    expect(vfs.unlink(root, '/mnt/u')).toBe(0);
    expect(nodeFs.existsSync(hostFile('u'))).toBe(false);
    expect(vfs.stat(root, '/mnt/u', true)).toBe(-Errno.ENOENT);
    expect(f.stat().nlink).toBe(0);
    expect(readAll(f, P, 10)).toBe('uuuuu');
    expect(write(f, 'still here', 2 * P)).toBe(10);
    expect(readAll(f, 2 * P)).toBe('still here');
    expect(f.fsync(false)).toBe(0);
    f.decRef();
    expect(host.activeFiles()).toEqual([]);
    assertNoFramesInUse(frames);
    // The name is free again.
    const g = ok(vfs.open(root, '/mnt/u', O.O_RDWR | O.O_CREAT | O.O_EXCL, 0o600));
    expect(g.stat().size).toBe(0);
    g.decRef();
  });

  it('hard links are one inode; stat reports host st_ino', () => {
    const { vfs, root, hostFile } = setup();
    nodeFs.writeFileSync(hostFile('a'), 'A');
    nodeFs.linkSync(hostFile('a'), hostFile('b'));
    const a = ok(vfs.stat(root, '/mnt/a', true));
    const b = ok(vfs.stat(root, '/mnt/b', true));
    expect(a.ino).toBe(nodeFs.statSync(hostFile('a')).ino);
    expect(b.ino).toBe(a.ino);
    expect(a.nlink).toBe(2);
    expect(vfs.unlink(root, '/mnt/a')).toBe(0);
    expect(ok(vfs.stat(root, '/mnt/b', true)).nlink).toBe(1);
  });

  it('ownership: the creator owns new files; a mount with a fixed owner refuses other owners', () => {
    const { vfs, root, hostFile } = setup();
    expect(vfs.chmod(root, '/mnt', 0o777)).toBe(0);
    const user: FsTask = { fs: vfs.newFsContext(0o022), cred: new Credentials(1000, 1000), pid: 2 };
    const f = ok(vfs.open(user, '/mnt/mine', O.O_RDWR | O.O_CREAT, 0o600));
    f.decRef();
    expect(ok(vfs.stat(user, '/mnt/mine', true))).toMatchObject({ uid: 1000, gid: 1000, mode: S.S_IFREG | 0o600 });
    ok(vfs.open(user, '/mnt/mine', O.O_RDWR, 0)).decRef();

    const frames = new ArenaFrameAllocator({ frames: 16 });
    const fixed = ok(createHostFs({ backend: new NodeHostBackend(nodePath.dirname(hostFile('x'))), frames, owner: { uid: 5, gid: 6 } })) as HostFs;
    const vfs2 = new Vfs(fixed);
    const r2: FsTask = { fs: vfs2.newFsContext(), cred: Credentials.root() };
    expect(ok(vfs2.stat(r2, '/mine', true))).toMatchObject({ uid: 5, gid: 6 });
    expect(vfs2.chown(r2, '/mine', 7, -1, true)).toBe(-Errno.EPERM);
    expect(vfs2.chown(r2, '/mine', 5, 6, true)).toBe(0);
  });

  it('createHostFs refuses a missing root or a file', () => {
    const { dir, frames } = setup();
    expect(createHostFs({ backend: new NodeHostBackend(nodePath.join(dir, 'nope')), frames })).toBe(-Errno.ENOENT);
    nodeFs.writeFileSync(nodePath.join(dir, 'file'), '');
    expect(createHostFs({ backend: new NodeHostBackend(nodePath.join(dir, 'file')), frames })).toBe(-Errno.ENOTDIR);
  });

  it('lseek SEEK_END uses the cached size', () => {
    const { vfs, root } = setup();
    const f = ok(vfs.open(root, '/mnt/s', O.O_RDWR | O.O_CREAT, 0o600));
    expect(write(f, 'abc', 100)).toBe(3);
    expect(f.lseek(0, SEEK.SEEK_END)).toBe(103);
    f.decRef();
  });
});

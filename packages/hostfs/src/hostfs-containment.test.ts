import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { Errno, O, S } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { chmodInode, Credentials, Vfs, type FsTask, type OpenFileDescription, type Path } from '@tskern/vfs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHostFs,
  mountHost,
  type HostBackend,
  type HostFs,
  type HostStat,
} from './index';
import { LstatWalkResolver, NodeHostBackend, ProcFdResolver } from './node';
import { encodeText, ok } from '@tskern/test-kit';

const RUNS = Number(process.env.TSKERN_PROPERTY_RUNS ?? 25);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/**
 * A base folder holding `inside/` (the hostfs root) and `outside/` (a
 * `secret` file, a `dir/` and a `dir/inner` file): what no tskern call may
 * touch. `untouched()` asserts every byte, mode, owner and name there.
 */
function world(options: { backend?: (inner: HostBackend, inside: string) => HostBackend; allowSetid?: boolean } = {}) {
  const base = nodeFs.realpathSync(nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'hostfs-contain-')));
  const inside = nodePath.join(base, 'inside');
  const outside = nodePath.join(base, 'outside');
  nodeFs.mkdirSync(inside);
  nodeFs.mkdirSync(nodePath.join(outside, 'dir'), { recursive: true });
  nodeFs.writeFileSync(nodePath.join(outside, 'secret'), 'secret', { mode: 0o644 });
  nodeFs.writeFileSync(nodePath.join(outside, 'dir', 'inner'), 'inner', { mode: 0o600 });
  nodeFs.chmodSync(nodePath.join(outside, 'secret'), 0o644);
  nodeFs.chmodSync(nodePath.join(outside, 'dir', 'inner'), 0o600);
  const snapshot = () => {
    const out: string[] = [];
    const walk = (p: string) => {
      const st = nodeFs.lstatSync(p);
      out.push(`${nodePath.relative(base, p)} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.size} ${st.ino}`);
      if (st.isFile()) out.push(nodeFs.readFileSync(p, 'latin1'));
      if (st.isDirectory()) for (const n of nodeFs.readdirSync(p).sort()) walk(nodePath.join(p, n));
    };
    walk(outside);
    out.push(nodeFs.readdirSync(base).sort().join(','));
    return out;
  };
  const before = snapshot();
  const node = new NodeHostBackend(inside);
  const backend = options.backend?.(node, inside) ?? node;
  const frames = new ArenaFrameAllocator({ frames: 128 });
  const host = ok(createHostFs({ backend, frames, allowSetid: options.allowSetid })) as HostFs;
  const vfs = new Vfs(new RamFs({ frames }), { mappingIdentities: new FileMappingRegistry() });
  expect(mountHost(vfs, host, '/mnt')).toBe(0);
  const task = (): FsTask => ({ fs: vfs.newFsContext(), cred: Credentials.root(), pid: 1 });
  const root = task();
  cleanups.push(() => {
    node.dispose();
    nodeFs.rmSync(base, { recursive: true, force: true });
  });
  const untouched = () => expect(snapshot()).toEqual(before);
  return { base, inside, outside, node, backend, host, vfs, root, task, untouched };
}

type World = ReturnType<typeof world>;

/** Everything a program could try through a directory `at` (or its cwd when `at` is undefined): none may reach a host file. */
function attackThrough(w: World, t: FsTask, at: Path | undefined): number[] {
  const { vfs } = w;
  const results: number[] = [];
  const note = (r: OpenFileDescription | number | object | string) => results.push(typeof r === 'number' ? r : 0);
  for (const flags of [O.O_RDONLY, O.O_RDWR, O.O_RDWR | O.O_TRUNC, O.O_WRONLY | O.O_CREAT, O.O_RDWR | O.O_CREAT | O.O_TRUNC]) {
    const f = vfs.open(t, 'secret', flags, 0o6777, at);
    note(f);
    if (typeof f !== 'number') {
      f.write(encodeText('pwned'), 0, 5);
      f.truncate(0, t.cred);
      f.fsync(false);
      f.decRef();
    }
  }
  note(vfs.open(t, 'dir/inner', O.O_RDWR | O.O_TRUNC, 0, at));
  note(vfs.stat(t, 'secret', false, at));
  note(vfs.chmod(t, 'secret', 0o6777, at));
  note(vfs.chown(t, 'secret', 1, 1, false, at));
  note(vfs.mkdir(t, 'made', 0o777, at));
  note(vfs.symlink(t, '/', 'link', at));
  note(vfs.unlink(t, 'secret', at));
  note(vfs.rmdir(t, 'dir', at));
  note(vfs.rename(t, 'secret', '/mnt/stolen', at, undefined));
  const victim = vfs.open(t, '/mnt/victim', O.O_RDWR | O.O_CREAT, 0o644);
  if (typeof victim !== 'number') victim.decRef();
  note(vfs.rename(t, '/mnt/victim', 'planted', undefined, at));
  note(vfs.readlink(t, 'secret', at));
  return results;
}

function hostSymlink(target: string, at: string): void {
  nodeFs.symlinkSync(target, at);
}

describe('a removed directory is dead: the stale-directory escape', () => {
  it('openat through a removed directory fd whose name is now a symlink out of the folder: ENOENT, outside untouched', () => {
    const w = world();
    const { vfs, root, inside, outside } = w;
    expect(vfs.mkdir(root, '/mnt/d', 0o755)).toBe(0);
    const held = ok(vfs.lookup(root, '/mnt/d', true));
    expect(vfs.rmdir(root, '/mnt/d')).toBe(0);
    // The guest plants the symlink (a host symlink with an absolute host target)...
    expect(vfs.symlink(root, outside, '/mnt/d')).toBe(0);
    expect(nodeFs.readlinkSync(nodePath.join(inside, 'd'))).toBe(outside);
    const results = attackThrough(w, root, held);
    expect(results.every((r) => r === -Errno.ENOENT)).toBe(true);
    w.untouched();
  });

  it('the same with a host-made relative symlink, and as the cwd', () => {
    const w = world();
    const { vfs, inside } = w;
    const t = w.task();
    expect(vfs.mkdir(t, '/mnt/d', 0o755)).toBe(0);
    expect(vfs.chdir(t, '/mnt/d')).toBe(0);
    expect(vfs.rmdir(t, '/mnt/d')).toBe(0);
    hostSymlink('../outside', nodePath.join(inside, 'd'));
    const results = attackThrough(w, t, undefined);
    expect(results.every((r) => r === -Errno.ENOENT)).toBe(true);
    // getdents on it is ENOENT and lists nothing (IS_DEADDIR).
    const dir = ok(vfs.open(t, '.', O.O_RDONLY | O.O_DIRECTORY, 0));
    const names: string[] = [];
    expect(dir.iterateDir((name) => (names.push(name), true), t)).toBe(-Errno.ENOENT);
    expect(names).toEqual([]);
    dir.decRef();
    w.untouched();
  });

  it('a directory replaced by rename keeps its old path out of use', () => {
    const w = world();
    const { vfs, root, outside } = w;
    expect(vfs.mkdir(root, '/mnt/d', 0o755)).toBe(0);
    expect(vfs.mkdir(root, '/mnt/e', 0o755)).toBe(0);
    const held = ok(vfs.lookup(root, '/mnt/e', true));
    expect(vfs.rename(root, '/mnt/d', '/mnt/e')).toBe(0); // e's old directory is dead
    expect(vfs.rmdir(root, '/mnt/e')).toBe(0);
    expect(vfs.symlink(root, outside, '/mnt/e')).toBe(0);
    expect(attackThrough(w, root, held).every((r) => r === -Errno.ENOENT)).toBe(true);
    w.untouched();
  });

  it('an open file in a removed directory: fchmod and ftruncate never reach a host file under its old path', () => {
    const w = world();
    const { vfs, root, outside, host } = w;
    expect(vfs.mkdir(root, '/mnt/d', 0o755)).toBe(0);
    const f = ok(vfs.open(root, '/mnt/d/secret', O.O_RDWR | O.O_CREAT, 0o600));
    expect(vfs.unlink(root, '/mnt/d/secret')).toBe(0);
    expect(vfs.rmdir(root, '/mnt/d')).toBe(0);
    expect(vfs.symlink(root, outside, '/mnt/d')).toBe(0);
    expect(chmodInode(root.cred, f.inode, 0o4777)).toBe(0); // kept in memory, as for any unlinked file
    expect(f.truncate(0, root.cred)).toBe(0);
    expect(f.write(encodeText('data'), 0, 4)).toBe(4);
    expect(f.fsync(false)).toBe(0);
    f.decRef();
    expect(host.sync()).toBe(0);
    w.untouched();
  });

  it('a directory moved away on the host and replaced by a symlink: its stale path refuses every step', () => {
    const w = world();
    const { vfs, root, inside, outside } = w;
    expect(vfs.mkdir(root, '/mnt/d', 0o755)).toBe(0);
    const f = ok(vfs.open(root, '/mnt/d/secret', O.O_RDWR | O.O_CREAT, 0o600));
    const held = ok(vfs.lookup(root, '/mnt/d', true));
    nodeFs.renameSync(nodePath.join(inside, 'd'), nodePath.join(inside, 'moved'));
    hostSymlink(outside, nodePath.join(inside, 'd'));
    for (const r of attackThrough(w, root, held)) expect(r).toBeLessThan(0);
    expect(chmodInode(root.cred, f.inode, 0o777)).toBeLessThan(0);
    expect(f.truncate(0, root.cred)).toBe(0); // the open handle: the moved file
    f.decRef();
    // Through the mount, the new "d" is a symlink the VFS resolves in the guest's tree.
    expect(vfs.open(root, '/mnt/d/secret', O.O_RDWR | O.O_TRUNC, 0)).toBe(-Errno.ENOENT);
    w.untouched();
  });
});

describe('symlinks are the guest\'s, never the host\'s', () => {
  it('absolute and relative symlinks, planted by the guest or the host, resolve in the guest tree', () => {
    const w = world();
    const { vfs, root, inside, outside } = w;
    expect(vfs.symlink(root, outside, '/mnt/abs')).toBe(0);
    expect(vfs.symlink(root, '../outside', '/mnt/rel')).toBe(0);
    expect(vfs.symlink(root, '../../../../../..' + outside, '/mnt/deep')).toBe(0);
    hostSymlink(nodePath.join(outside, 'secret'), nodePath.join(inside, 'file'));
    hostSymlink('../outside/secret', nodePath.join(inside, 'relfile'));
    for (const l of ['abs', 'rel', 'deep']) {
      const at = `/mnt/${l}/`;
      expect(vfs.open(root, `${at}secret`, O.O_RDWR | O.O_TRUNC, 0)).toBe(-Errno.ENOENT);
      expect(vfs.chmod(root, `${at}secret`, 0o777)).toBe(-Errno.ENOENT);
      expect(vfs.truncate(root, `${at}secret`, 0)).toBe(-Errno.ENOENT);
    }
    for (const l of ['file', 'relfile']) {
      expect(vfs.open(root, `/mnt/${l}`, O.O_RDWR | O.O_TRUNC, 0)).toBe(-Errno.ENOENT);
      expect(vfs.open(root, `/mnt/${l}`, O.O_RDWR | O.O_NOFOLLOW, 0)).toBe(-Errno.ELOOP);
      expect(vfs.chmod(root, `/mnt/${l}`, 0o777)).toBe(-Errno.ENOENT);
      expect(vfs.truncate(root, `/mnt/${l}`, 0)).toBe(-Errno.ENOENT);
      expect(vfs.chown(root, `/mnt/${l}`, 1, 1, true)).toBe(-Errno.ENOENT);
      expect(vfs.chown(root, `/mnt/${l}`, 0, 0, false)).toBe(0); // lchown: the link itself
    }
    // ".." at the mount's root climbs the guest's tree, not the host's.
    expect(vfs.open(root, '/mnt/../outside/secret', O.O_RDWR, 0)).toBe(-Errno.ENOENT);
    expect(vfs.open(root, '/mnt/../../../..' + outside + '/secret', O.O_RDWR, 0)).toBe(-Errno.ENOENT);
    w.untouched();
  });
});

describe('the Node backend names nothing outside its root', () => {
  const opsOn = (b: HostBackend, p: string): number[] => {
    const r = (v: unknown) => (typeof v === 'number' ? v : 0);
    const h = b.open(p, O.O_RDWR | O.O_TRUNC, 0);
    if (h >= 0) b.close(h);
    return [
      r(b.lstat(p)),
      r(b.readdir(p)),
      h,
      r(b.open(`${p}/new`, O.O_RDWR | O.O_CREAT, 0o777)),
      b.truncate(p, 0),
      b.chmod(p, 0o777),
      b.chown(p, 1, 1),
      b.mkdir(`${p}/new`, 0o777),
      b.rmdir(p),
      b.unlink(p),
      b.rename(p, '/stolen'),
      b.rename('/here', p),
      b.symlink('x', `${p}/new`),
      r(b.readlink(`${p}/x`)),
    ];
  };

  it('refuses "..", "." and empty components (EXDEV as RESOLVE_BENEATH, EINVAL)', () => {
    const w = world();
    nodeFs.writeFileSync(nodePath.join(w.inside, 'here'), 'here');
    for (const p of ['/..', '/../outside/secret', '/../outside', '/./..', '/x/../../outside/secret']) {
      for (const r of opsOn(w.node, p)) expect([-Errno.EXDEV, -Errno.EINVAL]).toContain(r);
    }
    for (const p of ['/.', '//outside', 'outside/secret', '/a\0b']) for (const r of opsOn(w.node, p)) expect(r).toBe(-Errno.EINVAL);
    w.untouched();
  });

  it('never follows a host symlink, in the middle or at the end of a path', () => {
    const w = world();
    const { inside, outside } = w;
    hostSymlink(outside, nodePath.join(inside, 'dirlink'));
    hostSymlink('../outside', nodePath.join(inside, 'reldirlink'));
    hostSymlink(nodePath.join(outside, 'secret'), nodePath.join(inside, 'filelink'));
    nodeFs.mkdirSync(nodePath.join(inside, 'sub'));
    hostSymlink('..', nodePath.join(inside, 'sub', 'up'));
    for (const p of ['/dirlink/secret', '/reldirlink/secret', '/dirlink/dir/inner', '/sub/up/reldirlink/secret', '/sub/up/dirlink']) {
      for (const r of opsOn(w.node, p)) expect(r).toBeLessThan(0);
    }
    const link = '/filelink';
    expect(w.node.open(link, O.O_RDWR | O.O_TRUNC, 0)).toBe(-Errno.ELOOP);
    expect(w.node.truncate(link, 0)).toBe(-Errno.ELOOP);
    expect(w.node.chmod(link, 0o777)).toBe(-Errno.EOPNOTSUPP);
    expect(w.node.readdir('/dirlink')).toBe(-Errno.ENOTDIR);
    expect(w.node.chmod('/dirlink', 0o777)).toBe(-Errno.EOPNOTSUPP);
    expect(w.node.readlink('/dirlink')).toBe(outside);
    // A dangling symlink to a new outside name: creating through it makes nothing there.
    hostSymlink(nodePath.join(outside, 'planted'), nodePath.join(inside, 'dangling'));
    expect(w.node.open('/dangling', O.O_RDWR | O.O_CREAT, 0o644)).toBe(-Errno.ELOOP);
    expect(w.node.open('/dangling', O.O_RDWR | O.O_CREAT | O.O_EXCL, 0o644)).toBe(-Errno.EEXIST);
    expect(w.node.mkdir('/dangling', 0o755)).toBe(-Errno.EEXIST);
    expect(typeof w.node.lstat('/dirlink')).toBe('object');
    w.untouched();
  });

  it('a rename racing the walk cannot redirect it: the call lands in the directory walked', () => {
    const w = world();
    const { inside, outside } = w;
    nodeFs.mkdirSync(nodePath.join(inside, 'd'));
    nodeFs.writeFileSync(nodePath.join(inside, 'd', 'secret'), 'mine');
    const resolver = new ProcFdResolver(inside);
    cleanups.push(() => resolver.dispose());
    // Between the walk and the call, another host process swaps "d" for a symlink out.
    const swap = () => {
      nodeFs.renameSync(nodePath.join(inside, 'd'), nodePath.join(inside, 'd2'));
      hostSymlink(outside, nodePath.join(inside, 'd'));
    };
    resolver.entry('/d/secret', (h) => {
      swap();
      nodeFs.writeFileSync(h, 'pwned');
    });
    expect(nodeFs.readFileSync(nodePath.join(inside, 'd2', 'secret'), 'latin1')).toBe('pwned');
    resolver.object('/d2/secret', 'EOPNOTSUPP', (h) => {
      nodeFs.unlinkSync(nodePath.join(inside, 'd2', 'secret'));
      hostSymlink(nodePath.join(outside, 'secret'), nodePath.join(inside, 'd2', 'secret'));
      nodeFs.chmodSync(h, 0o777); // the walked file (now unlinked), not the symlink put in its place
    });
    w.untouched();
  });

  it('the portable resolver refuses the same symlinks (its race is documented)', () => {
    const w = world();
    const { inside, outside } = w;
    hostSymlink(outside, nodePath.join(inside, 'dirlink'));
    hostSymlink(nodePath.join(outside, 'secret'), nodePath.join(inside, 'filelink'));
    const portable = new NodeHostBackend(inside, (root) => new LstatWalkResolver(root));
    for (const r of opsOn(portable, '/dirlink/secret')) expect(r).toBeLessThan(0);
    expect(portable.open('/filelink', O.O_RDWR | O.O_TRUNC, 0)).toBe(-Errno.ELOOP);
    expect(portable.chmod('/filelink', 0o777)).toBe(-Errno.EOPNOTSUPP);
    expect(portable.truncate('/filelink', 0)).toBe(-Errno.ELOOP);
    expect(portable.lstat('/..')).toBe(-Errno.EXDEV);
    w.untouched();
  });

  it('keeps its root when the root\'s host path is moved and replaced by a symlink', () => {
    const w = world();
    const { base, inside, outside, vfs, root } = w;
    expect(vfs.mkdir(root, '/mnt/d', 0o755)).toBe(0);
    nodeFs.renameSync(inside, nodePath.join(base, 'moved'));
    hostSymlink(outside, inside);
    expect(vfs.open(root, '/mnt/secret', O.O_RDWR | O.O_TRUNC, 0)).toBe(-Errno.ENOENT);
    expect(ok(vfs.stat(root, '/mnt/d', false)).mode & S.S_IFMT).toBe(S.S_IFDIR);
    nodeFs.unlinkSync(inside);
    nodeFs.renameSync(nodePath.join(base, 'moved'), inside);
    w.untouched();
  });
});

describe('races between hostfs\'s lookup and its use', () => {
  /** A backend that lets another "host process" act right after chosen lstats. */
  class RacingBackend implements HostBackend {
    race: ((path: string) => void) | null = null;
    constructor(readonly inner: HostBackend) {}
    lstat(path: string): HostStat | number {
      const r = this.inner.lstat(path);
      const race = this.race;
      if (race !== null) {
        this.race = null;
        race(path);
      }
      return r;
    }
    readdir = (p: string) => this.inner.readdir(p);
    open = (p: string, f: number, m: number) => this.inner.open(p, f, m);
    close = (h: number) => this.inner.close(h);
    fstat = (h: number) => this.inner.fstat(h);
    pread = (h: number, d: Uint8Array, o: number, l: number, p: number) => this.inner.pread(h, d, o, l, p);
    pwrite = (h: number, s: Uint8Array, o: number, l: number, p: number) => this.inner.pwrite(h, s, o, l, p);
    fsync = (h: number, d: boolean) => this.inner.fsync(h, d);
    ftruncate = (h: number, s: number) => this.inner.ftruncate(h, s);
    truncate = (p: string, s: number) => this.inner.truncate(p, s);
    mkdir = (p: string, m: number) => this.inner.mkdir(p, m);
    rmdir = (p: string) => this.inner.rmdir(p);
    unlink = (p: string) => this.inner.unlink(p);
    rename = (a: string, b: string) => this.inner.rename(a, b);
    symlink = (t: string, p: string) => this.inner.symlink(t, p);
    readlink = (p: string) => this.inner.readlink(p);
    chmod = (p: string, m: number) => this.inner.chmod(p, m);
    chown = (p: string, u: number, g: number) => this.inner.chown(p, u, g);
  }

  it('a file swapped for a symlink out after its lookup: open, truncate and chmod refuse it', () => {
    let racing: RacingBackend | null = null;
    const w = world({ backend: (inner) => (racing = new RacingBackend(inner)) });
    const { vfs, root, inside, outside } = w;
    const r = racing!;
    nodeFs.writeFileSync(nodePath.join(inside, 'f'), 'mine');
    const swap = () => {
      nodeFs.unlinkSync(nodePath.join(inside, 'f'));
      hostSymlink(nodePath.join(outside, 'secret'), nodePath.join(inside, 'f'));
    };
    const restore = () => {
      nodeFs.unlinkSync(nodePath.join(inside, 'f'));
      nodeFs.writeFileSync(nodePath.join(inside, 'f'), 'mine');
    };
    r.race = swap;
    expect(vfs.open(root, '/mnt/f', O.O_RDWR | O.O_TRUNC, 0)).toBeLessThan(0);
    restore();
    r.race = swap;
    expect(vfs.truncate(root, '/mnt/f', 0)).toBeLessThan(0);
    restore();
    r.race = swap;
    expect(vfs.chmod(root, '/mnt/f', 0o777)).toBeLessThan(0);
    w.untouched();
  });

  it('a file replaced by another inside after its lookup: the open is ESTALE, not the other file', () => {
    let racing: RacingBackend | null = null;
    const w = world({ backend: (inner) => (racing = new RacingBackend(inner)) });
    const { vfs, root, inside } = w;
    nodeFs.writeFileSync(nodePath.join(inside, 'f'), 'mine');
    nodeFs.writeFileSync(nodePath.join(inside, 'other'), 'other');
    racing!.race = () => nodeFs.renameSync(nodePath.join(inside, 'other'), nodePath.join(inside, 'f'));
    expect(vfs.open(root, '/mnt/f', O.O_RDWR, 0)).toBe(-Errno.ESTALE);
    w.untouched();
  });

  it('a directory swapped for a symlink out after its lookup: nothing below it is reached', () => {
    let racing: RacingBackend | null = null;
    const w = world({ backend: (inner) => (racing = new RacingBackend(inner)) });
    const { vfs, root, inside, outside } = w;
    nodeFs.mkdirSync(nodePath.join(inside, 'd'));
    nodeFs.writeFileSync(nodePath.join(inside, 'd', 'secret'), 'mine');
    const swap = (path: string) => {
      if (path !== '/d') return;
      nodeFs.renameSync(nodePath.join(inside, 'd'), nodePath.join(inside, `d${Date.now()}${Math.random()}`));
      hostSymlink(outside, nodePath.join(inside, 'd'));
    };
    for (const attempt of [
      () => vfs.open(root, '/mnt/d/secret', O.O_RDWR | O.O_TRUNC, 0),
      () => vfs.chmod(root, '/mnt/d/secret', 0o777),
      () => vfs.truncate(root, '/mnt/d/secret', 0),
      () => vfs.unlink(root, '/mnt/d/secret'),
      () => vfs.mkdir(root, '/mnt/d/new', 0o777),
      () => vfs.rename(root, '/mnt/d/secret', '/mnt/stolen'),
    ]) {
      nodeFs.rmSync(nodePath.join(inside, 'd'), { recursive: true, force: true });
      nodeFs.mkdirSync(nodePath.join(inside, 'd'));
      nodeFs.writeFileSync(nodePath.join(inside, 'd', 'secret'), 'mine');
      racing!.race = swap;
      const res = attempt();
      expect(typeof res === 'number' ? res : 0).toBeLessThanOrEqual(0);
      if (typeof res !== 'number') res.decRef();
    }
    w.untouched();
  });
});

describe('set-user-ID and set-group-ID bits', () => {
  it('stay off host files by default; the guest sees what it set', () => {
    const w = world();
    const { vfs, root, inside } = w;
    const hostMode = (n: string) => nodeFs.lstatSync(nodePath.join(inside, n)).mode & 0o7777;
    const f = ok(vfs.open(root, '/mnt/prog', O.O_RDWR | O.O_CREAT, 0o6755));
    f.decRef();
    expect(hostMode('prog')).toBe(0o755);
    expect(ok(vfs.stat(root, '/mnt/prog', false)).mode & 0o7777).toBe(0o6755);
    expect(vfs.chmod(root, '/mnt/prog', 0o4711)).toBe(0);
    expect(hostMode('prog')).toBe(0o711);
    expect(ok(vfs.stat(root, '/mnt/prog', false)).mode & 0o7777).toBe(0o4711);
    expect(vfs.chmod(root, '/mnt/prog', 0o755)).toBe(0);
    expect(ok(vfs.stat(root, '/mnt/prog', false)).mode & 0o7777).toBe(0o755);
    expect(vfs.mkdir(root, '/mnt/shared', 0o775)).toBe(0);
    expect(vfs.chmod(root, '/mnt/shared', 0o2775)).toBe(0);
    expect(hostMode('shared') & (S.S_ISUID | S.S_ISGID)).toBe(0);
    expect(ok(vfs.stat(root, '/mnt/shared', false)).mode & S.S_ISGID).toBe(S.S_ISGID);
    w.untouched();
  });

  it('reach the host with allowSetid', () => {
    const w = world({ allowSetid: true });
    const { vfs, root, inside } = w;
    const f = ok(vfs.open(root, '/mnt/prog', O.O_RDWR | O.O_CREAT, 0o755));
    f.decRef();
    expect(vfs.chmod(root, '/mnt/prog', 0o4755)).toBe(0);
    expect(nodeFs.lstatSync(nodePath.join(inside, 'prog')).mode & 0o7777).toBe(0o4755);
  });
});

describe('no sequence of guest calls escapes (property)', () => {
  type Op =
    | { k: 'mkdir' | 'rmdir' | 'hold' | 'chdir' | 'unlink'; name: string }
    | { k: 'symlink'; name: string; target: number }
    | { k: 'rename'; from: string; to: string }
    | { k: 'hostSwap'; name: string }
    | { k: 'attack'; via: number };
  const names = ['a', 'b', 'a/b', 'b/a', 'secret', 'dir'];
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ k: fc.constantFrom('mkdir', 'rmdir', 'hold', 'chdir', 'unlink'), name: fc.constantFrom(...names) }) as fc.Arbitrary<Op>,
    fc.record({ k: fc.constant('symlink'), name: fc.constantFrom(...names), target: fc.nat(3) }) as fc.Arbitrary<Op>,
    fc.record({ k: fc.constant('rename'), from: fc.constantFrom(...names), to: fc.constantFrom(...names) }) as fc.Arbitrary<Op>,
    fc.record({ k: fc.constant('hostSwap'), name: fc.constantFrom(...names) }) as fc.Arbitrary<Op>,
    fc.record({ k: fc.constant('attack'), via: fc.nat(7) }) as fc.Arbitrary<Op>,
  );

  it('mkdir/rmdir/rename/symlink/host swaps interleaved with attacks through held and cwd directories', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), (ops) => {
        const w = world();
        const { vfs, inside, outside } = w;
        const t = w.task();
        const held: Path[] = [];
        const targets = [outside, '../outside', '../../outside', nodePath.join(outside, 'secret')];
        try {
          for (const op of ops) {
            switch (op.k) {
              case 'mkdir':
                vfs.mkdir(t, `/mnt/${op.name}`, 0o777);
                break;
              case 'rmdir':
                vfs.rmdir(t, `/mnt/${op.name}`);
                break;
              case 'unlink':
                vfs.unlink(t, `/mnt/${op.name}`);
                break;
              case 'hold': {
                const p = vfs.lookup(t, `/mnt/${op.name}`, false);
                if (typeof p !== 'number') held.push(p);
                break;
              }
              case 'chdir':
                vfs.chdir(t, `/mnt/${op.name}`);
                break;
              case 'symlink':
                vfs.symlink(t, targets[op.target]!, `/mnt/${op.name}`);
                break;
              case 'rename':
                vfs.rename(t, `/mnt/${op.from}`, `/mnt/${op.to}`);
                break;
              case 'hostSwap': {
                // Another host process: whatever is there becomes a symlink out.
                const p = nodePath.join(inside, op.name);
                try {
                  // (Only inside the folder: this host process is no tskern guest.)
                  if (!nodeFs.realpathSync(nodePath.dirname(p)).startsWith(inside)) break;
                  nodeFs.rmSync(p, { recursive: true, force: true });
                  hostSymlink(outside, p);
                } catch {
                  // its parent is gone or not a directory
                }
                break;
              }
              case 'attack':
                attackThrough(w, t, op.via < held.length ? held[op.via] : undefined);
                break;
            }
          }
          w.untouched();
        } finally {
          for (const c of cleanups.splice(0)) c();
        }
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});

import { describe, expect, it } from 'vitest';
import { Errno, MAP, PROT } from '@tskern/abi';
import { memoryOptions, mmap, standaloneSharedAnonymous, store, load } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { ProcessTable } from './process-table';
import type { FdTableLike, FsContextLike } from './resources';

/** A fake fd table that records its lifecycle. */
class FakeFiles implements FdTableLike {
  constructor(public readonly log: string[], public cloexecOpen = true) {}
  fork(): this {
    this.log.push('fork');
    return new FakeFiles(this.log, this.cloexecOpen) as this;
  }
  execCloseOnExec(): void {
    this.cloexecOpen = false;
    this.log.push('exec');
  }
  closeAll(): void {
    this.log.push('close');
  }
}

class FakeFs implements FsContextLike {
  constructor(public cwd: string) {}
  fork(): this {
    return new FakeFs(this.cwd) as this;
  }
}

function table() {
  const frames = new ArenaFrameAllocator({ frames: 1024 });
  const log: string[] = [];
  const t = new ProcessTable(memoryOptions(frames, standaloneSharedAnonymous(frames)), {
    newFiles: () => new FakeFiles(log),
    newFs: (cwd) => new FakeFs(cwd),
  });
  t.registerProgram('/bin/p', { stackSize: 64 * 1024 });
  return { t, frames, log };
}

const cred = { uid: 1000, gid: 1000, groups: [] };

describe('ProcessTable', () => {
  it('spawns a registered program with a stack, and refuses an unknown one', () => {
    const { t } = table();
    const p = t.spawn('/bin/p', cred, '/', 0o022);
    expect(typeof p).toBe('object');
    if (typeof p === 'number') return;
    expect(p.stack.end - p.stack.start).toBe(64 * 1024);
    expect(t.spawn('/bin/none', cred, '/', 0o022)).toBe(-Errno.ENOENT);
  });

  it('forks copy-on-write memory and inherits files and fs', () => {
    const { t, log } = table();
    const p = t.spawn('/bin/p', cred, '/work', 0o022);
    if (typeof p === 'number') throw new Error('spawn failed');
    const a = mmap(p.mm, 0, 4096, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    store(p.mm, a, new Uint8Array([1, 2, 3]), 0, 3);
    const c = t.fork(p);
    expect(c.parent).toBe(p);
    expect(c.ppid).toBe(p.pid);
    expect(c.fs.cwd).toBe('/work');
    store(c.mm, a, new Uint8Array([9]), 0, 1);
    const seen = new Uint8Array(1);
    load(p.mm, a, seen, 0, 1);
    expect(seen[0]).toBe(1);
    expect(log).toContain('fork');
  });

  it('exec drops every mapping and closes close-on-exec files', () => {
    const { t } = table();
    const p = t.spawn('/bin/p', cred, '/', 0o022);
    if (typeof p === 'number') throw new Error('spawn failed');
    const a = mmap(p.mm, 0, 4096, PROT.PROT_READ, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    expect(t.exec(p, '/bin/p')).toBe(0);
    expect(p.mm.vmas.find(a)).toBeUndefined();
    expect(p.files.cloexecOpen).toBe(false);
    expect(t.exec(p, '/bin/missing')).toBe(-Errno.ENOENT);
  });

  it('exit leaves a zombie until the parent waits, and returns every frame', () => {
    const { t, frames } = table();
    const p = t.spawn('/bin/p', cred, '/', 0o022);
    if (typeof p === 'number') throw new Error('spawn failed');
    const a = mmap(p.mm, 0, 8192, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    store(p.mm, a, new Uint8Array(8192), 0, 8192);
    const c = t.fork(p);
    expect(t.wait(p, c.pid, true)).toBe(0);
    expect(t.wait(p, c.pid, false)).toBe(-Errno.EAGAIN);
    t.exit(c, 3);
    expect(c.alive).toBe(false);
    const reaped = t.wait(p, -1, false);
    expect(typeof reaped === 'object' && reaped.exitStatus).toBe(3);
    expect(t.wait(p, -1, false)).toBe(-Errno.ECHILD);
    t.exit(p, 0);
    expect(t.get(p.pid)).toBeUndefined();
    expect(frames.stats().usedFrames).toBe(0);
  });

  it('passes orphans to the reaper, which reaps them at exit', () => {
    const { t } = table();
    const p = t.spawn('/bin/p', cred, '/', 0o022);
    if (typeof p === 'number') throw new Error('spawn failed');
    const c = t.fork(p);
    t.exit(p, 0);
    expect(c.parent).toBeNull();
    expect(c.ppid).toBe(1);
    t.exit(c, 0);
    expect(t.get(c.pid)).toBeUndefined();
  });
});

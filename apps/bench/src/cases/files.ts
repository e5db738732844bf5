/**
 * Small files: create, write 1 KiB, close, open, read, close, unlink. tskern
 * ramfs through syscalls against memfs (vol.writeFileSync, readFileSync,
 * unlinkSync) in the same process.
 */
import { Errno, errnoName, O, SYS } from '@tskern/abi';
import { Volume } from 'memfs';
import type { CaseGroup } from '../context';
import { measure, since, type Timing } from '../timing';
import { Proc, Unavailable, unavailableNote } from '../tskern';
import { timings } from '../compare';
import { caseResult, TARGETS } from '../types';

export const FILE_SIZE = 1024;

function ramfsFiles() {
  const p = Proc.boot();
  const made = p.raw(SYS.mkdir, p.cstring('/tmp'), 0o1777);
  if (made < 0 && made !== -Errno.EEXIST) throw new Unavailable(errnoName(-made), 'mkdir');
  const path = p.cstring('/tmp/tskern-bench-file', p.scratch + 64);
  const wbuf = p.scratch + 1024;
  const rbuf = p.scratch + 2048;
  p.k.fill(p.pid, wbuf, FILE_SIZE, 7);
  const create = O.O_CREAT | O.O_WRONLY | O.O_TRUNC;
  return (iters: number) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) {
      let fd = p.sys(SYS.open, path, create, 0o644);
      if (p.sys(SYS.write, fd, wbuf, FILE_SIZE) !== FILE_SIZE) throw new Error('short write');
      p.sys(SYS.close, fd);
      fd = p.sys(SYS.open, path, O.O_RDONLY, 0);
      if (p.sys(SYS.read, fd, rbuf, FILE_SIZE) !== FILE_SIZE) throw new Error('short read');
      p.sys(SYS.close, fd);
      p.sys(SYS.unlink, path);
    }
    return since(t0);
  };
}

function memfsFiles() {
  const vol = new Volume();
  vol.mkdirSync('/tmp');
  const data = Buffer.alloc(FILE_SIZE, 7);
  const path = '/tmp/tskern-bench-file';
  return (iters: number) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) {
      vol.writeFileSync(path, data);
      if (vol.readFileSync(path).length !== FILE_SIZE) throw new Error('short read');
      vol.unlinkSync(path);
    }
    return since(t0);
  };
}

export const files: CaseGroup = {
  name: 'files',
  run: (ctx) => {
    ctx.log('  small files: tskern');
    let tskern: Timing | null = null;
    let note: string | undefined;
    try {
      const batch = ramfsFiles();
      tskern = ctx.profile('small files ramfs', () => measure(batch));
    } catch (e) {
      note = unavailableNote(e);
    }
    ctx.log(', memfs\n');
    const memfs = measure(memfsFiles(), tskern !== null ? { iters: tskern.iters } : {});
    return [
      caseResult({
        name: 'file create+write+read+unlink 1 KiB (ramfs vs memfs)',
        unit: 'µs/file',
        tskern: tskern === null ? null : tskern.nsPerOp / 1e3,
        reference: memfs.nsPerOp / 1e3,
        referenceName: 'memfs (same process)',
        target: TARGETS.files,
        timing: timings(tskern, memfs),
        ...(note !== undefined ? { note } : {}),
      }),
    ];
  },
};

/** The POSIX shared-memory cycle: shm_open, ftruncate, mmap, touch, munmap, close, shm_unlink. */
import { MAP, O, PAGE_SIZE, SYS, shmObjectPath } from '@tskern/abi';
import { timedCase } from '../compare';
import type { CaseGroup } from '../context';
import { since } from '../timing';
import { Proc, RW } from '../tskern';
import { TARGETS } from '../types';

/** What glibc's shm_open passes to open(2) (tskern has no libc). */
export const SHM_OPEN_FLAGS = O.O_RDWR | O.O_CREAT | O.O_CLOEXEC | O.O_NOFOLLOW;

function shmCycle() {
  const p = Proc.boot();
  const path = p.cstring(shmObjectPath('tskern-bench-cycle'));
  return (iters: number) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) {
      const fd = p.sys(SYS.open, path, SHM_OPEN_FLAGS, 0o600);
      p.sys(SYS.ftruncate, fd, PAGE_SIZE);
      const a = p.sys(SYS.mmap, 0, PAGE_SIZE, RW, MAP.MAP_SHARED, fd, 0);
      p.touch(a);
      p.sys(SYS.munmap, a, PAGE_SIZE);
      p.sys(SYS.close, fd);
      p.sys(SYS.unlink, path);
    }
    return since(t0);
  };
}

export const shm: CaseGroup = {
  name: 'shm',
  run: (ctx) => [
    timedCase(ctx, {
      name: 'shm cycle (open..ftruncate..mmap..touch..munmap..close..unlink)',
      native: { name: 'shm_cycle' },
      tskern: shmCycle,
      target: TARGETS.fast,
      scale: 1e3,
      unit: 'µs/cycle',
    }),
  ],
};

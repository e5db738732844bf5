// The cost of file offsets on the hot file paths, through kernel.syscall:
// pwrite64 and pread64 of 16 bytes, lseek (SEEK_SET and SEEK_CUR), and mmap +
// munmap of one shared page of a file. Run (before and after a change to
// offsets or sizes) with `npx tsx --conditions=@tskern/source bench/file-offsets.ts`
// in packages/kernel (a word after it runs only the cases whose name starts
// with it, e.g. `mmap`); prints ns per call, the best of five rounds.
import { MAP, O, PROT, SEEK, SYS } from '@tskern/abi';
import { createKernel } from '../src/index';

const k = createKernel();
k.registerProgram('/bin/a', {});
const p = k.spawn('/bin/a');
const path = k.stack(p).end - 4096;
k.store(p, path, new TextEncoder().encode('/f\0'));
const fd = k.syscall(p, SYS.open, path, O.O_RDWR | O.O_CREAT, 0o644);
const buf = k.stack(p).end - 8192;
k.syscall(p, SYS.ftruncate, fd, 1 << 20);

const only = process.argv[2];

function time(name: string, rounds: number, body: (i: number) => void): void {
  if (only !== undefined && !name.startsWith(only)) return;
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    for (let i = 0; i < rounds; i++) body(i);
    best = Math.min(best, ((performance.now() - start) * 1e6) / rounds);
  }
  console.log(`${name.padEnd(14)} ${best.toFixed(0).padStart(6)} ns`);
}

time('pwrite64 16B', 200_000, (i) => k.syscall(p, SYS.pwrite64, fd, buf, 16, (i & 4095) * 16));
time('pread64 16B', 200_000, (i) => k.syscall(p, SYS.pread64, fd, buf, 16, (i & 4095) * 16));
time('lseek SET+CUR', 200_000, (i) => {
  k.syscall(p, SYS.lseek, fd, i & 0xffff, SEEK.SEEK_SET);
  k.syscall(p, SYS.lseek, fd, 16, SEEK.SEEK_CUR);
});
time('mmap+munmap', 20_000, (i) => {
  const a = k.syscall(p, SYS.mmap, 0, 4096, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED, fd, (i & 255) * 4096);
  k.syscall(p, SYS.munmap, a, 4096);
});

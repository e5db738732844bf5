import { readFileSync } from 'node:fs';
import { createKernel } from '@tskern/kernel';
import { ProgramDriver, startProgram } from '@tskern/runtime';
const k = createKernel();
const bin = readFileSync(process.argv[2]!);
const t = k.vfs.kernelTask();
const f = k.vfs.open(t, '/prog', 0o1101, 0o755) as any;
f.write(bin, 0, bin.length); f.decRef();
const pid = startProgram(k, { path: '/prog', argv: ['prog', ...process.argv.slice(3)], envp: ['A=1'], files: [{ fd: 0, path: '/dev/null', flags: 0 }, { fd: 1, path: '/out', flags: 0o101 }, { fd: 2, path: '/out', flags: 0o101 }] });
console.log('pid', pid);
if (pid > 0) {
  const r = new ProgramDriver(k).run(pid);
  console.log(r);
  const o = k.vfs.open(t, '/out', 0, 0) as any; const b = new Uint8Array(4096); const n = o.read(b, 0, 4096);
  console.log(JSON.stringify(new TextDecoder().decode(b.subarray(0, n))));
}

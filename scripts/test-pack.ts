/**
 * `pnpm test:pack`: a fresh npm project installs the packed tarballs of every
 * public package and compiles two TypeScript consumers under
 * `--module node16` — one ESM (.mts), one CommonJS (.cts) — that import every
 * entry point of every package, then runs both with node and the `tskern`
 * binary through npx. Nothing comes from the workspace but the tarballs (and
 * the TypeScript compiler and Node types; third-party dependencies of the
 * tarballs come from npm's cache or the registry).
 * `--no-build` reuses the dist/ folders of an earlier `pnpm build`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll } from './pack';
import { repoRoot } from './workspace';

const packed = packAll({ build: !process.argv.includes('--no-build') });
const dir = mkdtempSync(join(tmpdir(), 'tskern-pack-'));
const run = (cmd: string, args: string[]): string =>
  execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

try {
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'tskern-consumer', version: '1.0.0', private: true }, null, 2),
  );
  // Every @tskern dependency of a tarball is another tarball; the few
  // third-party ones (pure-rand) come from npm's cache, or the registry.
  run('npm', [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...packed.map((p) => p.tarball),
  ]);

  // Every entry point of every package, imported by name from both module systems.
  const entries: string[] = [];
  for (const { pkg } of packed) {
    for (const key of Object.keys(pkg.manifest.exports as Record<string, unknown>))
      entries.push(key === '.' ? pkg.manifest.name : `${pkg.manifest.name}/${key.slice(2)}`);
  }
  const imports = entries.map((e, i) => `import * as m${i} from '${e}';`).join('\n');
  const table = `const entries: Array<[string, object]> = [${entries.map((e, i) => `['${e}', m${i}]`).join(', ')}];`;
  const body = `
${table}
for (const [name, m] of entries) if (Object.keys(m).length === 0) throw new Error(name + ' exports nothing');
const k = createKernel();
k.registerProgram('/bin/app', {});
const pid = k.spawn('/bin/app', { uid: 1000, gid: 1000 });
const addr = k.syscall(pid, SYS.mmap, 0, 8192, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, -1, 0);
k.store(pid, addr, new TextEncoder().encode('hello'));
const child = k.syscall(pid, SYS.fork);
const bytes = new Uint8Array(5);
k.load(child, addr, bytes);
const folder: unknown = nodeHostFolder;
console.log(MODE + ' ' + entries.length + ' entries; child reads ' + new TextDecoder().decode(bytes) + (typeof folder === 'function' ? '' : ' (no nodeHostFolder)'));
`;
  const head = `import { createKernel } from '@tskern/kernel';\nimport { nodeHostFolder } from '@tskern/kernel/node';\nimport { SYS, PROT, MAP } from '@tskern/abi';\n${imports}\n`;
  writeFileSync(join(dir, 'esm.mts'), `${head}const MODE = 'esm';\n${body}`);
  writeFileSync(join(dir, 'cjs.cts'), `${head}const MODE = 'cjs';\n${body}`);
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  run(process.execPath, [
    tsc,
    '--module',
    'node16',
    '--moduleResolution',
    'node16',
    '--target',
    'es2022',
    '--strict',
    '--skipLibCheck',
    'false',
    '--typeRoots',
    join(repoRoot, 'node_modules/@types'),
    '--types',
    'node',
    '--outDir',
    'out',
    'esm.mts',
    'cjs.cts',
  ]);
  const esm = run(process.execPath, ['out/esm.mjs']).trim();
  const cjs = run(process.execPath, ['out/cjs.cjs']).trim();
  const want = `${entries.length} entries; child reads hello`;
  if (esm !== `esm ${want}` || cjs !== `cjs ${want}`)
    throw new Error(`consumers printed:\n${esm}\n${cjs}`);
  console.log(
    `test:pack: ${packed.length} tarballs installed in a fresh npm project; ESM and CommonJS consumers (tsc --module node16) compile and run: ${want}`,
  );

  writeFileSync(
    join(dir, 'a.scn'),
    'p1 mmap A 0 4K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 poke A "hi"\np1 peek A 2\n',
  );
  const version = run('npx', ['--no-install', 'tskern', '--version']).trim();
  const transcript = run('npx', ['--no-install', 'tskern', 'run', 'a.scn']);
  if (transcript !== '1: ok\n2: ok\n3: "hi"\n')
    throw new Error(`npx tskern run printed:\n${transcript}`);
  console.log(
    `test:pack: npx tskern --version prints ${version}; npx tskern run works from the tarball`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

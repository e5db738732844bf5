/**
 * `pnpm lint:packages`: what npm users get, checked by the ecosystem's own
 * tools on the packed tarballs of every public package:
 * - the manifest rules (scripts/check-manifests.ts),
 * - publint (strict: warnings fail too),
 * - @arethetypeswrong/cli on the tarball (node16 profile: the CommonJS and
 *   ESM consumers of `--module node16` and bundlers; node10 resolution has no
 *   subpath exports and is out of scope),
 * - no test, test kit or source file inside a tarball;
 * - no Node-only type (Buffer, NodeJS.*, node: modules) in the types of an
 *   entry other than a Node entry (dist/node*.d.ts), so browser users
 *   compile without @types/node (the CLI, a Node program, is exempt).
 * `--no-build` reuses the dist/ folders of an earlier `pnpm build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packAll } from './pack';
import { repoRoot } from './workspace';

const failures: string[] = [];

execFileSync('pnpm', ['exec', 'tsx', 'scripts/check-manifests.ts'], {
  cwd: repoRoot,
  stdio: 'inherit',
});

const packed = packAll({ build: !process.argv.includes('--no-build') });
for (const { pkg, tarball } of packed) {
  const name = pkg.manifest.name;
  const bytes = readFileSync(tarball);
  const tarballBuffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  const result = await publint({
    pack: { tarball: tarballBuffer },
    strict: true,
    level: 'suggestion',
  });
  for (const message of result.messages) {
    failures.push(
      `${name}: publint ${message.type}: ${formatMessage(message, result.pkg, { color: false }) ?? message.code}`,
    );
  }

  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  for (const f of files) {
    if (/\.test\.|\/testing\/|test-kit|^package\/src\//.test(f))
      failures.push(`${name}: tarball holds ${f} (tests, test kits and sources stay out)`);
  }
  if (!files.includes('package/LICENSE')) failures.push(`${name}: tarball has no LICENSE`);
  // Browser-facing types: only a Node entry (dist/node*.d.ts) may name Node's types.
  for (const f of files.filter(
    (f) =>
      /\.d\.c?ts$/.test(f) && !/\/node[^/]*\.d\.c?ts$/.test(f) && pkg.manifest.bin === undefined,
  )) {
    const dts = execFileSync('tar', ['-xzOf', tarball, f], { encoding: 'utf8' });
    const nodeOnly = /\bBuffer\b|\bNodeJS\.|from ['"]node:|\/\/\/ <reference types="node"/.exec(
      dts.replace(/\b(Shared)?ArrayBuffer\b/g, ''),
    );
    if (nodeOnly)
      failures.push(
        `${name}: ${f} names a Node-only type (${nodeOnly[0]}); keep it to a Node entry (src/node.ts)`,
      );
  }

  const attw = spawnSync(
    'pnpm',
    [
      'exec',
      'attw',
      tarball,
      '--profile',
      'node16',
      '--format',
      'ascii',
      '--no-color',
      '--no-emoji',
    ],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  if (attw.status !== 0)
    failures.push(`${name}: attw found problems:\n${attw.stdout}${attw.stderr}`);
  console.log(
    `${name}: ${files.length} files, publint ${result.messages.length === 0 ? 'clean' : 'NOT clean'}, attw ${attw.status === 0 ? 'clean' : 'NOT clean'} (${relative(repoRoot, tarball)})`,
  );
}

if (failures.length > 0) {
  for (const f of failures) console.error(f);
  console.error(`lint:packages: ${failures.length} problem(s) in ${packed.length} packages`);
  process.exit(1);
}
console.log(
  `lint:packages: ${packed.length} packages clean (publint --strict, attw node16, tarball contents)`,
);

/**
 * `pnpm test:readmes`: README examples that cannot rot. Every ```ts block of
 * a README (the root one and each workspace package's) that imports from
 * `@tskern/` is an example: it is written into its package's directory and
 * run with tsx from source, so it resolves only the package itself and the
 * packages it declares (the root README's examples run as @tskern/kernel's).
 * Each `// prints: TEXT` comment is one expected line of standard output, in
 * order, and every example has at least one. Every public package under
 * packages/ must have an example that imports it. API sketches (blocks that
 * import nothing from `@tskern/`) are not run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot, workspacePackages } from './workspace';

interface Example {
  readonly readme: string;
  readonly line: number;
  readonly code: string;
  readonly runIn: string;
}

function examplesOf(readme: string, runIn: string): Example[] {
  const text = readFileSync(readme, 'utf8');
  const out: Example[] = [];
  const fence = /^```(ts|typescript)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const m of text.matchAll(fence)) {
    const code = m[2]!;
    if (!/from ['"]@tskern\//.test(code)) continue;
    out.push({ readme, line: text.slice(0, m.index).split('\n').length, code, runIn });
  }
  return out;
}

const failures: string[] = [];
const examples: Example[] = examplesOf(
  join(repoRoot, 'README.md'),
  join(repoRoot, 'packages/kernel'),
);
for (const pkg of workspacePackages()) {
  const readme = join(pkg.absDir, 'README.md');
  const found = existsSync(readme) ? examplesOf(readme, pkg.absDir) : [];
  examples.push(...found);
  const name = pkg.manifest.name;
  if (
    pkg.dir.startsWith('packages/') &&
    pkg.manifest.private !== true &&
    !found.some((e) => e.code.includes(`from '${name}'`))
  ) {
    failures.push(
      `${pkg.dir}/README.md: no runnable example that imports ${name} (a \`\`\`ts block with a \`// prints:\` line)`,
    );
  }
}

const tsx = join(repoRoot, 'node_modules/.bin/tsx');

function run(example: Example, index: number): Promise<void> {
  const where = `${relative(repoRoot, example.readme)}:${example.line}`;
  const expected = [...example.code.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1]!.trimEnd());
  if (expected.length === 0) {
    failures.push(`${where}: the example has no \`// prints: TEXT\` line`);
    return Promise.resolve();
  }
  const file = join(example.runIn, `.readme-example-${index}.ts`);
  writeFileSync(file, example.code);
  return new Promise((resolve) => {
    const child = spawn(tsx, ['--conditions=@tskern/source', file], {
      cwd: example.runIn,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => {
      rmSync(file, { force: true });
      const got = stdout
        .split('\n')
        .filter((l, i, all) => i < all.length - 1 || l !== '')
        .map((l) => l.trimEnd());
      if (status !== 0) failures.push(`${where}: the example exits ${status}:\n${stderr}`);
      else if (JSON.stringify(got) !== JSON.stringify(expected)) {
        failures.push(
          `${where}: the example printed\n  ${got.join('\n  ')}\nbut its // prints: lines say\n  ${expected.join('\n  ')}`,
        );
      }
      resolve();
    });
  });
}

// Two at a time: the machine has two cores.
let next = 0;
const worker = async (): Promise<void> => {
  while (next < examples.length) {
    const i = next++;
    await run(examples[i]!, i);
  }
};
await Promise.all([worker(), worker()]);

if (failures.length > 0) {
  for (const f of failures) console.error(f);
  console.error(
    `test:readmes: ${failures.length} problem(s) in ${examples.length} README examples`,
  );
  process.exit(1);
}
console.log(`test:readmes: ${examples.length} README examples ran as written`);

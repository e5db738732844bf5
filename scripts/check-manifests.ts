/**
 * `pnpm check:manifests [--fix]`: every workspace package's package.json
 * says where it comes from, and every public one describes the package npm
 * users get. Rules (each message names the one broken; `--fix` writes the
 * canonical form):
 *
 * - every package: license MIT; repository (with the package's directory),
 *   homepage, bugs and engines derived from the root package.json; keywords
 *   including "tskern";
 * - public packages: a LICENSE file identical to the root one (npm puts it
 *   in the tarball), a description and a README;
 * - every exports entry `{ "@tskern/source": ./src/X.ts, import: { types:
 *   ./dist/X.d.ts, default: ./dist/X.js }, require: { types: ./dist/X.d.cts,
 *   default: ./dist/X.cjs } }` (tsup emits the .d.cts; a CommonJS consumer
 *   must get it, not the ESM .d.ts), and publishConfig.exports the same
 *   without the internal `@tskern/source` condition (pnpm pack/publish
 *   applies it), so the tarball never points at source it does not ship;
 * - main/module/types naming the "." entry's CommonJS, ESM and CommonJS
 *   types files (for resolvers without exports support);
 * - files exactly ["dist"]: no tests, test kits (src/testing/, test-kit.ts)
 *   or sources in a tarball.
 *
 * Private packages are skipped; the changesets config must leave them out of
 * versioning (privatePackages).
 */
import { readFileSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  publicPackages,
  repoRoot,
  rootManifest,
  workspacePackages,
  type WorkspacePackage,
} from './workspace';

type Json = unknown;
const fix = process.argv.includes('--fix');
const problems: string[] = [];

const root = rootManifest();
const repo = root.repository as { type: string; url: string };
const homepageBase = (root.homepage as string).replace(/#readme$/, '');
const rootLicense = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');

function same(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The canonical exports entry for a source file `./src/X.ts`. */
function entryFor(source: string, withSource: boolean): Record<string, Json> {
  const m = /^\.\/src\/(.+)\.ts$/.exec(source);
  if (!m) throw new Error(`exports source ${source} is not ./src/*.ts`);
  const d = `./dist/${m[1]}`;
  const entry: Record<string, Json> = {
    import: { types: `${d}.d.ts`, default: `${d}.js` },
    require: { types: `${d}.d.cts`, default: `${d}.cjs` },
  };
  return withSource ? { '@tskern/source': source, ...entry } : entry;
}

/** The source file of an exports entry, in the current or the old flat form. */
function sourceOf(key: string, value: Json): string {
  if (
    value &&
    typeof value === 'object' &&
    typeof (value as Record<string, Json>)['@tskern/source'] === 'string'
  ) {
    return (value as Record<string, string>)['@tskern/source']!;
  }
  return key === '.' ? './src/index.ts' : `./src/${key.slice(2)}.ts`;
}

function check(pkg: WorkspacePackage): void {
  const m = pkg.manifest;
  const want = (field: string, value: Json): void => {
    if (same(m[field], value)) return;
    problems.push(`${pkg.dir}/package.json: "${field}" should be ${JSON.stringify(value)}`);
    m[field] = value;
  };

  want('license', 'MIT');
  want('repository', { type: repo.type, url: repo.url, directory: pkg.dir });
  want('homepage', `${homepageBase}/tree/main/${pkg.dir}#readme`);
  want('bugs', root.bugs);
  want('engines', root.engines);
  const keywords = Array.isArray(m.keywords) ? (m.keywords as string[]) : [];
  if (!keywords.includes('tskern'))
    want('keywords', ['tskern', 'linux', ...keywords.filter((k) => k !== 'linux')]);
  if (m.private === true) {
    if (fix) writeFileSync(join(pkg.absDir, 'package.json'), `${JSON.stringify(m, null, 2)}\n`);
    return;
  }

  // What only a published package needs.
  const license = join(pkg.absDir, 'LICENSE');
  if (!existsSync(license) || readFileSync(license, 'utf8') !== rootLicense) {
    problems.push(`${pkg.dir}/LICENSE: missing or not identical to the root LICENSE`);
    if (fix) copyFileSync(join(repoRoot, 'LICENSE'), license);
  }
  if (typeof m.description !== 'string' || m.description === '')
    problems.push(`${pkg.dir}/package.json: no description`);
  if (!existsSync(join(pkg.absDir, 'README.md'))) problems.push(`${pkg.dir}/README.md: missing`);

  const exportsField = (m.exports ?? { '.': {} }) as Record<string, Json>;
  const exportsOut: Record<string, Json> = {};
  const published: Record<string, Json> = {};
  for (const [key, value] of Object.entries(exportsField)) {
    const source = sourceOf(key, value);
    exportsOut[key] = entryFor(source, true);
    published[key] = entryFor(source, false);
  }
  want('exports', exportsOut);
  const publishConfig = { ...((m.publishConfig as Record<string, Json> | undefined) ?? {}) };
  if (!same(publishConfig.exports, published) || publishConfig.access !== 'public') {
    problems.push(
      `${pkg.dir}/package.json: publishConfig should be { access: "public", exports: <exports without @tskern/source> }`,
    );
    m.publishConfig = { ...publishConfig, access: 'public', exports: published };
  }
  const main = published['.'] as
    | { import: { default: string; types: string }; require: { default: string; types: string } }
    | undefined;
  if (main) {
    want('main', main.require.default);
    want('module', main.import.default);
    want('types', main.require.types);
  }
  want('files', ['dist']);

  if (fix) writeFileSync(join(pkg.absDir, 'package.json'), `${JSON.stringify(m, null, 2)}\n`);
}

for (const pkg of workspacePackages()) check(pkg);

const changesets = JSON.parse(
  readFileSync(join(repoRoot, '.changeset/config.json'), 'utf8'),
) as Record<string, Json>;
if (!same(changesets.privatePackages, { version: false, tag: false })) {
  problems.push(
    '.changeset/config.json: "privatePackages" should be { "version": false, "tag": false } (private packages are never versioned)',
  );
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(
    fix
      ? `fixed ${problems.length} problem(s); run prettier and review the diff`
      : `${problems.length} manifest problem(s); \`pnpm check:manifests --fix\` writes the canonical fields`,
  );
  process.exit(fix ? 0 : 1);
}
console.log(
  `manifests: ${workspacePackages().length} packages OK (${publicPackages().length} public)`,
);

/**
 * The layer rules of tskern, checked by dependency-cruiser in `pnpm lint`
 * (docs/architecture.md explains them). A package may import only packages
 * of a lower layer; the rules are generated from the table below, so a new
 * package needs only its line here — and the check fails until it has one.
 */
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');

/** Lowest first. Names not yet in the repository are planned packages. */
const LAYERS = [
  ['abi', 'assert'], // constants and checks: import nothing
  ['pagealloc', 'rangemap', 'sched', 'signal', 'locks'], // data structures with no knowledge of tasks
  ['buf'], // the page-aligned buffer of frames
  ['mm-api', 'block-api'], // interfaces between memory and mappable objects, and their MappingSet; the block device interface
  ['mman', 'futex'], // address spaces; futex keys come from mman
  ['vfs'], // mounts, paths, inodes, open file descriptions
  ['ramfs', 'procfs', 'sysfs', 'cgroupfs', 'hostfs', 'extfs', 'file-mapping', 'pipe'], // file systems and file objects (extfs: ext2/3/4 on a block device)
  ['shmfs', 'devices'], // file systems built on ramfs (devices: a devtmpfs over a ramfs)
  ['tasks', 'loop'], // tasks: threads, thread groups (processes), the task table; the loop block driver (over devices)
  ['syscall', 'rv64', 'elf'], // the syscall layer, the CPU, the loader
  ['cpu-memory'], // the CPU's view of an address space: rv64's CpuMemory over mman (above both, so neither imports the other)
  ['kernel', 'scenario'], // the composition root; the scenario language over a KernelHost
  ['runtime'], // runs programs on a kernel: CPUs per task, the syscall loop
];

/** Memory packages: they never import a file system. */
const MEMORY = ['pagealloc', 'rangemap', 'buf', 'mm-api', 'mman', 'futex'];
/** File-system packages. */
const FILE_SYSTEMS = ['vfs', 'ramfs', 'shmfs', 'procfs', 'sysfs', 'cgroupfs', 'hostfs', 'extfs', 'file-mapping', 'pipe', 'devices', 'loop'];
/** Packages that must run on any JavaScript host, with no Node entry at all. */
const HOST_FREE = ['rv64', 'elf'];

const placed = new Set(LAYERS.flat());
const missing = existsSync(join(__dirname, 'packages'))
  ? readdirSync(join(__dirname, 'packages')).filter(
      (p) => existsSync(join(__dirname, 'packages', p, 'package.json')) && !placed.has(p),
    )
  : [];
if (missing.length > 0) {
  throw new Error(
    `.dependency-cruiser.cjs: packages/${missing.join(', packages/')} in no layer; add each to LAYERS (see docs/architecture.md)`,
  );
}

const any = (names) => `^packages/(${names.join('|')})/`;
/** Tests, test kits and benchmarks may use a higher or sibling package as a helper. */
const TEST_FILES = '(\\.test\\.ts$|/testing/|test-kit\\.ts$|^packages/[^/]+/(test|bench)/)';

/**
 * One rule per layer: its packages import nothing of their own layer or
 * above. `$1` is the importing package, so imports inside one package are free.
 */
const layerRules = LAYERS.slice(0, -1).map((names, i) => ({
  name: `layer-${i}-${names[0]}`,
  comment: `${names.join(', ')} may import only lower layers (${LAYERS.slice(0, i).flat().join(', ') || 'nothing'})`,
  severity: 'error',
  from: { path: any(names), pathNot: TEST_FILES },
  to: { path: any(LAYERS.slice(i).flat()), pathNot: '^packages/$1/' },
}));
// The top layer may not import its own siblings either.
const top = LAYERS[LAYERS.length - 1];
layerRules.push({
  name: `layer-${LAYERS.length - 1}-${top[0]}`,
  comment: `${top.join(', ')} do not import each other`,
  severity: 'error',
  from: { path: any(top), pathNot: TEST_FILES },
  to: { path: any(top), pathNot: '^packages/$1/' },
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'composition-root',
      comment:
        'nothing below the composition root imports @tskern/kernel (only packages above it, apps/ and tooling/ do), tests included',
      severity: 'error',
      from: { path: '^packages/', pathNot: '^packages/(kernel|runtime)/' },
      to: { path: '^packages/kernel/' },
    },
    {
      name: 'packages-below-apps',
      comment: 'a package never imports an app or a tool (the shared eslint, vitest, tsconfig and tsup configurations and the test kit excepted)',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(apps|tooling)/(?!(eslint-config|vitest-config|tsconfig|tsup-config|test-kit)/)' },
    },
    {
      name: 'test-kit-in-tests-only',
      comment:
        'tooling/test-kit (shared test helpers, the Mappable contract suite) is private: only tests and test kits import it, so no published file needs it',
      severity: 'error',
      from: { pathNot: `${TEST_FILES}|^tooling/test-kit/|^(apps|tooling)/[^/]+/test/` },
      to: { path: '^tooling/test-kit/' },
    },
    {
      name: 'memory-without-files',
      comment: 'memory never imports a file system (files reach memory through @tskern/mm-api)',
      severity: 'error',
      from: { path: any(MEMORY) },
      to: { path: any(FILE_SYSTEMS) },
    },
    {
      name: 'browser-safe',
      comment:
        'package code runs on any JavaScript host: Node modules only in a Node entry (src/node.ts, src/node-*.ts) and in tests',
      severity: 'error',
      from: {
        path: '^packages/[^/]+/src/',
        pathNot: `${TEST_FILES}|/src/node\\.ts$|/src/node-[^/]*\\.ts$`,
      },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'cpu-and-loader-host-free',
      comment: 'the CPU and the loader import nothing from Node, not even in a Node entry',
      severity: 'error',
      from: { path: any(HOST_FREE), pathNot: TEST_FILES },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-circular-packages',
      comment: 'no import cycle between packages',
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: { circular: true, path: '^packages/', pathNot: '^packages/$1/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|build|build-profile)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      conditionNames: ['@tskern/source', 'import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};

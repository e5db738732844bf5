"use strict";
var __spreadArray = (this && this.__spreadArray) || function (to, from, pack) {
    if (pack || arguments.length === 2) for (var i = 0, l = from.length, ar; i < l; i++) {
        if (ar || !(i in from)) {
            if (!ar) ar = Array.prototype.slice.call(from, 0, i);
            ar[i] = from[i];
        }
    }
    return to.concat(ar || Array.prototype.slice.call(from));
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `pnpm test:pack`: a fresh npm project installs the packed tarballs of every
 * public package and compiles two TypeScript consumers under
 * `--module node16` — one ESM (.mts), one CommonJS (.cts) — that import every
 * entry point of every package, then runs both with node and the `tskern`
 * binary through npx. Nothing comes from the workspace but the tarballs (and
 * the TypeScript compiler and Node types, to stay offline).
 * `--no-build` reuses the dist/ folders of an earlier `pnpm build`.
 */
var node_child_process_1 = require("node:child_process");
var node_fs_1 = require("node:fs");
var node_os_1 = require("node:os");
var node_path_1 = require("node:path");
var pack_1 = require("./pack");
var workspace_1 = require("./workspace");
var packed = (0, pack_1.packAll)({ build: !process.argv.includes('--no-build') });
var dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'tskern-pack-'));
var run = function (cmd, args) {
    return (0, node_child_process_1.execFileSync)(cmd, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
};
try {
    (0, node_fs_1.writeFileSync)((0, node_path_1.join)(dir, 'package.json'), JSON.stringify({ name: 'tskern-consumer', version: '1.0.0', private: true }, null, 2));
    // Every dependency of a tarball is another tarball: no registry needed.
    run('npm', __spreadArray([
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error'
    ], packed.map(function (p) { return p.tarball; }), true));
    // Every entry point of every package, imported by name from both module systems.
    var entries = [];
    for (var _i = 0, packed_1 = packed; _i < packed_1.length; _i++) {
        var pkg = packed_1[_i].pkg;
        for (var _a = 0, _b = Object.keys(pkg.manifest.exports); _a < _b.length; _a++) {
            var key = _b[_a];
            entries.push(key === '.' ? pkg.manifest.name : "".concat(pkg.manifest.name, "/").concat(key.slice(2)));
        }
    }
    var imports = entries.map(function (e, i) { return "import * as m".concat(i, " from '").concat(e, "';"); }).join('\n');
    var table = "const entries: Array<[string, object]> = [".concat(entries.map(function (e, i) { return "['".concat(e, "', m").concat(i, "]"); }).join(', '), "];");
    var body = "\n".concat(table, "\nfor (const [name, m] of entries) if (Object.keys(m).length === 0) throw new Error(name + ' exports nothing');\nconst k = createKernel();\nk.registerProgram('/bin/app', {});\nconst pid = k.spawn('/bin/app', { uid: 1000, gid: 1000 });\nconst addr = k.syscall(pid, SYS.mmap, 0, 8192, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, -1, 0);\nk.store(pid, addr, new TextEncoder().encode('hello'));\nconst child = k.syscall(pid, SYS.fork);\nconst bytes = new Uint8Array(5);\nk.load(child, addr, bytes);\nconst folder: unknown = nodeHostFolder;\nconsole.log(MODE + ' ' + entries.length + ' entries; child reads ' + new TextDecoder().decode(bytes) + (typeof folder === 'function' ? '' : ' (no nodeHostFolder)'));\n");
    var head = "import { createKernel } from '@tskern/kernel';\nimport { nodeHostFolder } from '@tskern/kernel/node';\nimport { SYS, PROT, MAP } from '@tskern/abi';\n".concat(imports, "\n");
    (0, node_fs_1.writeFileSync)((0, node_path_1.join)(dir, 'esm.mts'), "".concat(head, "const MODE = 'esm';\n").concat(body));
    (0, node_fs_1.writeFileSync)((0, node_path_1.join)(dir, 'cjs.cts'), "".concat(head, "const MODE = 'cjs';\n").concat(body));
    var tsc = (0, node_path_1.join)(workspace_1.repoRoot, 'node_modules/typescript/bin/tsc');
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
        (0, node_path_1.join)(workspace_1.repoRoot, 'node_modules/@types'),
        '--types',
        'node',
        '--outDir',
        'out',
        'esm.mts',
        'cjs.cts',
    ]);
    var esm = run(process.execPath, ['out/esm.mjs']).trim();
    var cjs = run(process.execPath, ['out/cjs.cjs']).trim();
    var want = "".concat(entries.length, " entries; child reads hello");
    if (esm !== "esm ".concat(want) || cjs !== "cjs ".concat(want))
        throw new Error("consumers printed:\n".concat(esm, "\n").concat(cjs));
    console.log("test:pack: ".concat(packed.length, " tarballs installed in a fresh npm project; ESM and CommonJS consumers (tsc --module node16) compile and run: ").concat(want));
    (0, node_fs_1.writeFileSync)((0, node_path_1.join)(dir, 'a.scn'), 'p1 mmap A 0 4K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 poke A "hi"\np1 peek A 2\n');
    var version = run('npx', ['--no-install', 'tskern', '--version']).trim();
    var transcript = run('npx', ['--no-install', 'tskern', 'run', 'a.scn']);
    if (transcript !== '1: ok\n2: ok\n3: "hi"\n')
        throw new Error("npx tskern run printed:\n".concat(transcript));
    console.log("test:pack: npx tskern --version prints ".concat(version, "; npx tskern run works from the tarball"));
}
finally {
    (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
}

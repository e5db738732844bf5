"use strict";
var _a;
Object.defineProperty(exports, "__esModule", { value: true });
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
var node_child_process_1 = require("node:child_process");
var node_fs_1 = require("node:fs");
var node_path_1 = require("node:path");
var publint_1 = require("publint");
var utils_1 = require("publint/utils");
var pack_1 = require("./pack");
var workspace_1 = require("./workspace");
var failures = [];
(0, node_child_process_1.execFileSync)('pnpm', ['exec', 'tsx', 'scripts/check-manifests.ts'], {
    cwd: workspace_1.repoRoot,
    stdio: 'inherit',
});
var packed = (0, pack_1.packAll)({ build: !process.argv.includes('--no-build') });
var _loop_1 = function (pkg, tarball) {
    var name_1 = pkg.manifest.name;
    var bytes = (0, node_fs_1.readFileSync)(tarball);
    var tarballBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    var result = await (0, publint_1.publint)({
        pack: { tarball: tarballBuffer },
        strict: true,
        level: 'suggestion',
    });
    for (var _d = 0, _e = result.messages; _d < _e.length; _d++) {
        var message = _e[_d];
        failures.push("".concat(name_1, ": publint ").concat(message.type, ": ").concat((_a = (0, utils_1.formatMessage)(message, result.pkg, { color: false })) !== null && _a !== void 0 ? _a : message.code));
    }
    var files = (0, node_child_process_1.execFileSync)('tar', ['-tzf', tarball], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
    for (var _f = 0, files_1 = files; _f < files_1.length; _f++) {
        var f = files_1[_f];
        if (/\.test\.|\/testing\/|test-kit|^package\/src\//.test(f))
            failures.push("".concat(name_1, ": tarball holds ").concat(f, " (tests, test kits and sources stay out)"));
    }
    if (!files.includes('package/LICENSE'))
        failures.push("".concat(name_1, ": tarball has no LICENSE"));
    // Browser-facing types: only a Node entry (dist/node*.d.ts) may name Node's types.
    for (var _g = 0, _h = files.filter(function (f) {
        return /\.d\.c?ts$/.test(f) && !/\/node[^/]*\.d\.c?ts$/.test(f) && pkg.manifest.bin === undefined;
    }); _g < _h.length; _g++) {
        var f = _h[_g];
        var dts = (0, node_child_process_1.execFileSync)('tar', ['-xzOf', tarball, f], { encoding: 'utf8' });
        var nodeOnly = /\bBuffer\b|\bNodeJS\.|from ['"]node:|\/\/\/ <reference types="node"/.exec(dts.replace(/\b(Shared)?ArrayBuffer\b/g, ''));
        if (nodeOnly)
            failures.push("".concat(name_1, ": ").concat(f, " names a Node-only type (").concat(nodeOnly[0], "); keep it to a Node entry (src/node.ts)"));
    }
    var attw = (0, node_child_process_1.spawnSync)('pnpm', [
        'exec',
        'attw',
        tarball,
        '--profile',
        'node16',
        '--format',
        'ascii',
        '--no-color',
        '--no-emoji',
    ], {
        cwd: workspace_1.repoRoot,
        encoding: 'utf8',
    });
    if (attw.status !== 0)
        failures.push("".concat(name_1, ": attw found problems:\n").concat(attw.stdout).concat(attw.stderr));
    console.log("".concat(name_1, ": ").concat(files.length, " files, publint ").concat(result.messages.length === 0 ? 'clean' : 'NOT clean', ", attw ").concat(attw.status === 0 ? 'clean' : 'NOT clean', " (").concat((0, node_path_1.relative)(workspace_1.repoRoot, tarball), ")"));
};
for (var _i = 0, packed_1 = packed; _i < packed_1.length; _i++) {
    var _b = packed_1[_i], pkg = _b.pkg, tarball = _b.tarball;
    _loop_1(pkg, tarball);
}
if (failures.length > 0) {
    for (var _c = 0, failures_1 = failures; _c < failures_1.length; _c++) {
        var f = failures_1[_c];
        console.error(f);
    }
    console.error("lint:packages: ".concat(failures.length, " problem(s) in ").concat(packed.length, " packages"));
    process.exit(1);
}
console.log("lint:packages: ".concat(packed.length, " packages clean (publint --strict, attw node16, tarball contents)"));

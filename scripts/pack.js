"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.packDir = void 0;
exports.packAll = packAll;
/**
 * Packs every public workspace package the way it is published: `pnpm pack`
 * applies publishConfig (exports without the internal `@tskern/source`
 * condition) and turns `workspace:*` into real versions, which `npm pack`
 * would not. The tarballs go to `.pack-out/` (git-ignored).
 */
var node_child_process_1 = require("node:child_process");
var node_fs_1 = require("node:fs");
var node_path_1 = require("node:path");
var workspace_1 = require("./workspace");
exports.packDir = (0, node_path_1.join)(workspace_1.repoRoot, '.pack-out');
/** Builds (unless `build` is false) and packs every public package. */
function packAll(options) {
    if (options === void 0) { options = {}; }
    if (options.build !== false)
        (0, node_child_process_1.execFileSync)('pnpm', ['-s', 'build'], {
            cwd: workspace_1.repoRoot,
            stdio: ['ignore', 'ignore', 'inherit'],
        });
    (0, node_fs_1.rmSync)(exports.packDir, { recursive: true, force: true });
    (0, node_fs_1.mkdirSync)(exports.packDir, { recursive: true });
    var out = [];
    var _loop_1 = function (pkg) {
        var before = new Set((0, node_fs_1.readdirSync)(exports.packDir));
        (0, node_child_process_1.execFileSync)('pnpm', ['pack', '--pack-destination', exports.packDir], {
            cwd: pkg.absDir,
            stdio: ['ignore', 'ignore', 'inherit'],
        });
        var added = (0, node_fs_1.readdirSync)(exports.packDir).filter(function (f) { return !before.has(f) && f.endsWith('.tgz'); });
        if (added.length !== 1)
            throw new Error("pnpm pack in ".concat(pkg.dir, " made ").concat(added.length, " tarballs"));
        out.push({ pkg: pkg, tarball: (0, node_path_1.join)(exports.packDir, added[0]) });
    };
    for (var _i = 0, _a = (0, workspace_1.publicPackages)(); _i < _a.length; _i++) {
        var pkg = _a[_i];
        _loop_1(pkg);
    }
    return out;
}

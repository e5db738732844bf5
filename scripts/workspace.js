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
exports.repoRoot = void 0;
exports.workspacePackages = workspacePackages;
exports.publicPackages = publicPackages;
exports.rootManifest = rootManifest;
/**
 * The workspace's packages, as pnpm sees them (pnpm-workspace.yaml's
 * `dir/*` globs), with their manifests. Every repository check starts here,
 * so a package added later is checked without editing any list.
 */
var node_fs_1 = require("node:fs");
var node_path_1 = require("node:path");
var node_url_1 = require("node:url");
exports.repoRoot = (0, node_path_1.resolve)((0, node_url_1.fileURLToPath)(new URL('..', import.meta.url)));
/** The `dir/*` globs of pnpm-workspace.yaml (the only form the repo uses). */
function workspaceGlobs() {
    var text = (0, node_fs_1.readFileSync)((0, node_path_1.join)(exports.repoRoot, 'pnpm-workspace.yaml'), 'utf8');
    var globs = __spreadArray([], text.matchAll(/^\s*-\s*["']?([^"'\s]+)\/\*["']?\s*$/gm), true).map(function (m) { return m[1]; });
    if (globs.length === 0)
        throw new Error('pnpm-workspace.yaml: no "dir/*" package globs found');
    return globs;
}
function workspacePackages() {
    var out = [];
    for (var _i = 0, _a = workspaceGlobs(); _i < _a.length; _i++) {
        var glob = _a[_i];
        var parent_1 = (0, node_path_1.join)(exports.repoRoot, glob);
        if (!(0, node_fs_1.existsSync)(parent_1))
            continue;
        for (var _b = 0, _c = (0, node_fs_1.readdirSync)(parent_1, { withFileTypes: true }).sort(function (a, b) {
            return a.name.localeCompare(b.name);
        }); _b < _c.length; _b++) {
            var entry = _c[_b];
            var absDir = (0, node_path_1.join)(parent_1, entry.name);
            var file = (0, node_path_1.join)(absDir, 'package.json');
            if (!entry.isDirectory() || !(0, node_fs_1.existsSync)(file))
                continue;
            out.push({
                dir: "".concat(glob, "/").concat(entry.name),
                absDir: absDir,
                manifest: JSON.parse((0, node_fs_1.readFileSync)(file, 'utf8')),
            });
        }
    }
    return out;
}
/** The packages that are published to npm (every one not marked private). */
function publicPackages() {
    return workspacePackages().filter(function (p) { return p.manifest.private !== true; });
}
function rootManifest() {
    return JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(exports.repoRoot, 'package.json'), 'utf8'));
}

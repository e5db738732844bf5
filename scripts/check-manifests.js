"use strict";
var __assign = (this && this.__assign) || function () {
    __assign = Object.assign || function(t) {
        for (var s, i = 1, n = arguments.length; i < n; i++) {
            s = arguments[i];
            for (var p in s) if (Object.prototype.hasOwnProperty.call(s, p))
                t[p] = s[p];
        }
        return t;
    };
    return __assign.apply(this, arguments);
};
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
 * `pnpm check:manifests [--fix]`: every public workspace package's
 * package.json describes the package npm users get. Rules (each message
 * names the one broken; `--fix` writes the canonical form):
 *
 * - license MIT and a LICENSE file identical to the root one (npm puts it in
 *   the tarball);
 * - repository (with the package's directory), homepage, bugs and engines
 *   derived from the root package.json; keywords including "tskern";
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
var node_fs_1 = require("node:fs");
var node_path_1 = require("node:path");
var workspace_1 = require("./workspace");
var fix = process.argv.includes('--fix');
var problems = [];
var root = (0, workspace_1.rootManifest)();
var repo = root.repository;
var homepageBase = root.homepage.replace(/#readme$/, '');
var rootLicense = (0, node_fs_1.readFileSync)((0, node_path_1.join)(workspace_1.repoRoot, 'LICENSE'), 'utf8');
function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
}
/** The canonical exports entry for a source file `./src/X.ts`. */
function entryFor(source, withSource) {
    var m = /^\.\/src\/(.+)\.ts$/.exec(source);
    if (!m)
        throw new Error("exports source ".concat(source, " is not ./src/*.ts"));
    var d = "./dist/".concat(m[1]);
    var entry = {
        import: { types: "".concat(d, ".d.ts"), default: "".concat(d, ".js") },
        require: { types: "".concat(d, ".d.cts"), default: "".concat(d, ".cjs") },
    };
    return withSource ? __assign({ '@tskern/source': source }, entry) : entry;
}
/** The source file of an exports entry, in the current or the old flat form. */
function sourceOf(key, value) {
    if (value &&
        typeof value === 'object' &&
        typeof value['@tskern/source'] === 'string') {
        return value['@tskern/source'];
    }
    return key === '.' ? './src/index.ts' : "./src/".concat(key.slice(2), ".ts");
}
function check(pkg) {
    var _a, _b;
    var m = pkg.manifest;
    var want = function (field, value) {
        if (same(m[field], value))
            return;
        problems.push("".concat(pkg.dir, "/package.json: \"").concat(field, "\" should be ").concat(JSON.stringify(value)));
        m[field] = value;
    };
    want('license', 'MIT');
    var license = (0, node_path_1.join)(pkg.absDir, 'LICENSE');
    if (!(0, node_fs_1.existsSync)(license) || (0, node_fs_1.readFileSync)(license, 'utf8') !== rootLicense) {
        problems.push("".concat(pkg.dir, "/LICENSE: missing or not identical to the root LICENSE"));
        if (fix)
            (0, node_fs_1.copyFileSync)((0, node_path_1.join)(workspace_1.repoRoot, 'LICENSE'), license);
    }
    if (typeof m.description !== 'string' || m.description === '')
        problems.push("".concat(pkg.dir, "/package.json: no description"));
    if (!(0, node_fs_1.existsSync)((0, node_path_1.join)(pkg.absDir, 'README.md')))
        problems.push("".concat(pkg.dir, "/README.md: missing"));
    want('repository', { type: repo.type, url: repo.url, directory: pkg.dir });
    want('homepage', "".concat(homepageBase, "/tree/main/").concat(pkg.dir, "#readme"));
    want('bugs', root.bugs);
    want('engines', root.engines);
    var keywords = Array.isArray(m.keywords) ? m.keywords : [];
    if (!keywords.includes('tskern'))
        want('keywords', __spreadArray(['tskern', 'linux'], keywords.filter(function (k) { return k !== 'linux'; }), true));
    var exportsField = ((_a = m.exports) !== null && _a !== void 0 ? _a : { '.': {} });
    var exportsOut = {};
    var published = {};
    for (var _i = 0, _c = Object.entries(exportsField); _i < _c.length; _i++) {
        var _d = _c[_i], key = _d[0], value = _d[1];
        var source = sourceOf(key, value);
        exportsOut[key] = entryFor(source, true);
        published[key] = entryFor(source, false);
    }
    want('exports', exportsOut);
    var publishConfig = __assign({}, ((_b = m.publishConfig) !== null && _b !== void 0 ? _b : {}));
    if (!same(publishConfig.exports, published) || publishConfig.access !== 'public') {
        problems.push("".concat(pkg.dir, "/package.json: publishConfig should be { access: \"public\", exports: <exports without @tskern/source> }"));
        m.publishConfig = __assign(__assign({}, publishConfig), { access: 'public', exports: published });
    }
    var main = published['.'];
    if (main) {
        want('main', main.require.default);
        want('module', main.import.default);
        want('types', main.require.types);
    }
    want('files', ['dist']);
    if (fix)
        (0, node_fs_1.writeFileSync)((0, node_path_1.join)(pkg.absDir, 'package.json'), "".concat(JSON.stringify(m, null, 2), "\n"));
}
for (var _i = 0, _a = (0, workspace_1.publicPackages)(); _i < _a.length; _i++) {
    var pkg = _a[_i];
    check(pkg);
}
var changesets = JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(workspace_1.repoRoot, '.changeset/config.json'), 'utf8'));
if (!same(changesets.privatePackages, { version: false, tag: false })) {
    problems.push('.changeset/config.json: "privatePackages" should be { "version": false, "tag": false } (private packages are never versioned)');
}
if (problems.length > 0) {
    for (var _b = 0, problems_1 = problems; _b < problems_1.length; _b++) {
        var p = problems_1[_b];
        console.error(p);
    }
    console.error(fix
        ? "fixed ".concat(problems.length, " problem(s); run prettier and review the diff")
        : "".concat(problems.length, " manifest problem(s); `pnpm check:manifests --fix` writes the canonical fields"));
    process.exit(fix ? 0 : 1);
}
console.log("manifests: ".concat((0, workspace_1.publicPackages)().length, " public packages OK"));

"use strict";
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
var __generator = (this && this.__generator) || function (thisArg, body) {
    var _ = { label: 0, sent: function() { if (t[0] & 1) throw t[1]; return t[1]; }, trys: [], ops: [] }, f, y, t, g = Object.create((typeof Iterator === "function" ? Iterator : Object).prototype);
    return g.next = verb(0), g["throw"] = verb(1), g["return"] = verb(2), typeof Symbol === "function" && (g[Symbol.iterator] = function() { return this; }), g;
    function verb(n) { return function (v) { return step([n, v]); }; }
    function step(op) {
        if (f) throw new TypeError("Generator is already executing.");
        while (g && (g = 0, op[0] && (_ = 0)), _) try {
            if (f = 1, y && (t = op[0] & 2 ? y["return"] : op[0] ? y["throw"] || ((t = y["return"]) && t.call(y), 0) : y.next) && !(t = t.call(y, op[1])).done) return t;
            if (y = 0, t) op = [op[0] & 2, t.value];
            switch (op[0]) {
                case 0: case 1: t = op; break;
                case 4: _.label++; return { value: op[1], done: false };
                case 5: _.label++; y = op[1]; op = [0]; continue;
                case 7: op = _.ops.pop(); _.trys.pop(); continue;
                default:
                    if (!(t = _.trys, t = t.length > 0 && t[t.length - 1]) && (op[0] === 6 || op[0] === 2)) { _ = 0; continue; }
                    if (op[0] === 3 && (!t || (op[1] > t[0] && op[1] < t[3]))) { _.label = op[1]; break; }
                    if (op[0] === 6 && _.label < t[1]) { _.label = t[1]; t = op; break; }
                    if (t && _.label < t[2]) { _.label = t[2]; _.ops.push(op); break; }
                    if (t[2]) _.ops.pop();
                    _.trys.pop(); continue;
            }
            op = body.call(thisArg, _);
        } catch (e) { op = [6, e]; y = 0; } finally { f = t = 0; }
        if (op[0] & 5) throw op[1]; return { value: op[0] ? op[1] : void 0, done: true };
    }
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
var node_child_process_1 = require("node:child_process");
var node_fs_1 = require("node:fs");
var node_path_1 = require("node:path");
var workspace_1 = require("./workspace");
function examplesOf(readme, runIn) {
    var text = (0, node_fs_1.readFileSync)(readme, 'utf8');
    var out = [];
    var fence = /^```(ts|typescript)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
    for (var _i = 0, _a = text.matchAll(fence); _i < _a.length; _i++) {
        var m = _a[_i];
        var code = m[2];
        if (!/from ['"]@tskern\//.test(code))
            continue;
        out.push({ readme: readme, line: text.slice(0, m.index).split('\n').length, code: code, runIn: runIn });
    }
    return out;
}
var failures = [];
var examples = examplesOf((0, node_path_1.join)(workspace_1.repoRoot, 'README.md'), (0, node_path_1.join)(workspace_1.repoRoot, 'packages/kernel'));
var _loop_1 = function (pkg) {
    var readme = (0, node_path_1.join)(pkg.absDir, 'README.md');
    var found = (0, node_fs_1.existsSync)(readme) ? examplesOf(readme, pkg.absDir) : [];
    examples.push.apply(examples, found);
    var name_1 = pkg.manifest.name;
    if (pkg.dir.startsWith('packages/') &&
        pkg.manifest.private !== true &&
        !found.some(function (e) { return e.code.includes("from '".concat(name_1, "'")); })) {
        failures.push("".concat(pkg.dir, "/README.md: no runnable example that imports ").concat(name_1, " (a ```ts block with a `// prints:` line)"));
    }
};
for (var _i = 0, _a = (0, workspace_1.workspacePackages)(); _i < _a.length; _i++) {
    var pkg = _a[_i];
    _loop_1(pkg);
}
var tsx = (0, node_path_1.join)(workspace_1.repoRoot, 'node_modules/.bin/tsx');
function run(example, index) {
    var where = "".concat((0, node_path_1.relative)(workspace_1.repoRoot, example.readme), ":").concat(example.line);
    var expected = __spreadArray([], example.code.matchAll(/\/\/ prints: (.*)$/gm), true).map(function (m) { return m[1].trimEnd(); });
    if (expected.length === 0) {
        failures.push("".concat(where, ": the example has no `// prints: TEXT` line"));
        return Promise.resolve();
    }
    var file = (0, node_path_1.join)(example.runIn, ".readme-example-".concat(index, ".ts"));
    (0, node_fs_1.writeFileSync)(file, example.code);
    return new Promise(function (resolve) {
        var child = (0, node_child_process_1.spawn)(tsx, ['--conditions=@tskern/source', file], {
            cwd: example.runIn,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        var stdout = '';
        var stderr = '';
        child.stdout.on('data', function (d) { return (stdout += d.toString()); });
        child.stderr.on('data', function (d) { return (stderr += d.toString()); });
        child.on('close', function (status) {
            (0, node_fs_1.rmSync)(file, { force: true });
            var got = stdout
                .split('\n')
                .filter(function (l, i, all) { return i < all.length - 1 || l !== ''; })
                .map(function (l) { return l.trimEnd(); });
            if (status !== 0)
                failures.push("".concat(where, ": the example exits ").concat(status, ":\n").concat(stderr));
            else if (JSON.stringify(got) !== JSON.stringify(expected)) {
                failures.push("".concat(where, ": the example printed\n  ").concat(got.join('\n  '), "\nbut its // prints: lines say\n  ").concat(expected.join('\n  ')));
            }
            resolve();
        });
    });
}
// Two at a time: the machine has two cores.
var next = 0;
var worker = function () { return __awaiter(void 0, void 0, void 0, function () {
    var i;
    return __generator(this, function (_a) {
        switch (_a.label) {
            case 0:
                if (!(next < examples.length)) return [3 /*break*/, 2];
                i = next++;
                return [4 /*yield*/, run(examples[i], i)];
            case 1:
                _a.sent();
                return [3 /*break*/, 0];
            case 2: return [2 /*return*/];
        }
    });
}); };
await Promise.all([worker(), worker()]);
if (failures.length > 0) {
    for (var _b = 0, failures_1 = failures; _b < failures_1.length; _b++) {
        var f = failures_1[_b];
        console.error(f);
    }
    console.error("test:readmes: ".concat(failures.length, " problem(s) in ").concat(examples.length, " README examples"));
    process.exit(1);
}
console.log("test:readmes: ".concat(examples.length, " README examples ran as written"));

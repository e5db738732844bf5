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
var _a, _b, _c;
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `pnpm test:browser`: @tskern/kernel runs in a browser. esbuild bundles a
 * page script that calls createKernel() for platform=browser with no
 * externals (a `node:` import anywhere in the kernel fails the bundle), then
 * Debian's Chromium (headless, through playwright-core) plays a
 * shared-memory scenario of the conformance suite and the transcript must
 * equal Linux's golden byte for byte.
 *
 * Chromium: TSKERN_CHROMIUM, else /usr/bin/chromium (`apt-get install
 * chromium`; .ci/run installs it). Playwright's own browser downloads are
 * never used.
 */
var node_fs_1 = require("node:fs");
var node_path_1 = require("node:path");
var esbuild_1 = require("esbuild");
var playwright_core_1 = require("playwright-core");
var workspace_1 = require("./workspace");
var SCENARIO = 'tooling/conformance/scenarios/shm/outlives-unlink-and-close-while-mapped';
var executablePath = (_a = process.env['TSKERN_CHROMIUM']) !== null && _a !== void 0 ? _a : '/usr/bin/chromium';
if (!(0, node_fs_1.existsSync)(executablePath)) {
    console.error("test:browser: no Chromium at ".concat(executablePath, " (apt-get install chromium, or set TSKERN_CHROMIUM)"));
    process.exit(1);
}
var bundle = await (0, esbuild_1.build)({
    entryPoints: [(0, node_path_1.join)(workspace_1.repoRoot, 'scripts/browser/entry.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    conditions: ['@tskern/source'],
    write: false,
    logLevel: 'error',
});
var code = bundle.outputFiles[0].text;
console.log("test:browser: kernel bundled for platform=browser, no externals (".concat((code.length / 1024).toFixed(0), " KiB)"));
var scenario = (0, node_fs_1.readFileSync)((0, node_path_1.join)(workspace_1.repoRoot, "".concat(SCENARIO, ".scn")), 'utf8');
var golden = (0, node_fs_1.readFileSync)((0, node_path_1.join)(workspace_1.repoRoot, "".concat(SCENARIO, ".golden")), 'utf8');
var browser = await playwright_core_1.chromium.launch({ executablePath: executablePath, headless: true, args: ['--no-sandbox'] });
try {
    var page = await browser.newPage();
    var errors_1 = [];
    page.on('pageerror', function (e) { return errors_1.push(e.message); });
    await page.setContent('<!doctype html><title>tskern</title>');
    await page.addScriptTag({ content: code });
    var result = await page.evaluate(function (text) {
        var run = globalThis.tskernRun;
        return __assign(__assign({}, run(text)), { userAgent: navigator.userAgent });
    }, scenario);
    if (errors_1.length > 0)
        throw new Error("page errors: ".concat(errors_1.join('; ')));
    if (result.status !== 0 || result.transcript !== golden) {
        console.error("test:browser: ".concat(SCENARIO, " in ").concat(result.userAgent, ": status ").concat(result.status, "\n").concat(result.stderr, "--- got\n").concat(result.transcript, "--- Linux\n").concat(golden));
        process.exit(1);
    }
    var lines = golden.split('\n').filter(Boolean).length;
    console.log("test:browser: ".concat(SCENARIO, ".scn in headless ").concat((_c = (_b = result.userAgent.match(/(Headless)?Chrome\/[\d.]+/)) === null || _b === void 0 ? void 0 : _b[0]) !== null && _c !== void 0 ? _c : 'Chromium', ": ").concat(lines, " lines identical to Linux"));
}
finally {
    await browser.close();
}

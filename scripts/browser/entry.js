"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The browser smoke test's page script: a default kernel and the scenario
 * runner, bundled by esbuild for platform=browser with nothing external.
 */
var kernel_1 = require("@tskern/kernel");
var scenario_1 = require("@tskern/scenario");
globalThis.tskernRun = function (text) { return (0, scenario_1.runScenario)(text, { kernel: (0, kernel_1.createKernel)(), fileName: 'browser.scn' }); };

/**
 * The browser smoke test's page script: a default kernel and the scenario
 * runner, bundled by esbuild for platform=browser with nothing external.
 */
import { createKernel } from '@tskern/kernel';
import { runScenario } from '@tskern/scenario';

(
  globalThis as {
    tskernRun?: (text: string) => { transcript: string; status: number; stderr: string };
  }
).tskernRun = (text) => runScenario(text, { kernel: createKernel(), fileName: 'browser.scn' });

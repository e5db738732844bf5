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
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { repoRoot } from './workspace';

const SCENARIO = 'tooling/conformance/scenarios/shm/outlives-unlink-and-close-while-mapped';
const executablePath = process.env['TSKERN_CHROMIUM'] ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(
    `test:browser: no Chromium at ${executablePath} (apt-get install chromium, or set TSKERN_CHROMIUM)`,
  );
  process.exit(1);
}

const bundle = await build({
  entryPoints: [join(repoRoot, 'scripts/browser/entry.ts')],
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  conditions: ['@tskern/source'],
  write: false,
  logLevel: 'error',
});
const code = bundle.outputFiles[0]!.text;
console.log(
  `test:browser: kernel bundled for platform=browser, no externals (${(code.length / 1024).toFixed(0)} KiB)`,
);

const scenario = readFileSync(join(repoRoot, `${SCENARIO}.scn`), 'utf8');
const golden = readFileSync(join(repoRoot, `${SCENARIO}.golden`), 'utf8');
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setContent('<!doctype html><title>tskern</title>');
  await page.addScriptTag({ content: code });
  const result = await page.evaluate((text) => {
    const run = (
      globalThis as unknown as {
        tskernRun: (t: string) => { transcript: string; status: number; stderr: string };
      }
    ).tskernRun;
    return { ...run(text), userAgent: navigator.userAgent };
  }, scenario);
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
  if (result.status !== 0 || result.transcript !== golden) {
    console.error(
      `test:browser: ${SCENARIO} in ${result.userAgent}: status ${result.status}\n${result.stderr}--- got\n${result.transcript}--- Linux\n${golden}`,
    );
    process.exit(1);
  }
  const lines = golden.split('\n').filter(Boolean).length;
  console.log(
    `test:browser: ${SCENARIO}.scn in headless ${result.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}: ${lines} lines identical to Linux`,
  );
} finally {
  await browser.close();
}

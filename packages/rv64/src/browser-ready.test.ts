import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The CPU must run in a browser: no source file outside tests imports Node
// built-ins, and none imports another tskern package.
describe('@tskern/rv64 sources', () => {
  const dir = new URL('.', import.meta.url);
  const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('testing'));

  it('import only each other', () => {
    expect(sources.length).toBeGreaterThan(10);
    for (const file of sources) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      expect([file, imports.filter((i) => !i.startsWith('./'))]).toEqual([file, []]);
    }
  });
});

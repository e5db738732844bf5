import { describe, expect, it } from 'vitest';
import { formatCoreName, type CoreNameFacts } from './core-name';

const facts: CoreNameFacts = {
  tgid: 42, tid: 43, uid: 1000, gid: 100, dumpable: 1, signal: 6, timeSeconds: 1_700_000_000,
  hostname: 'box', comm: 'a/b', exePath: '/usr/bin/prog', coreLimit: 2n ** 64n - 1n, cpu: 0,
};

describe('formatCoreName (format_corename)', () => {
  it('expands every specifier Linux documents in core(5)', () => {
    expect(formatCoreName('%p %P %i %I %u %g %d %s %t %h %c %C %%', false, facts).name)
      .toBe('42 42 43 43 1000 100 1 6 1700000000 box 18446744073709551615 0 %');
  });

  it('escapes / in %e, %E and %f as !, so no specifier adds a path component', () => {
    expect(formatCoreName('/cores/%e-%E-%f', false, facts).name).toBe('/cores/a!b-!usr!bin!prog-prog');
    expect(formatCoreName('%e', false, { ...facts, comm: '..' }).name).toBe('!.');
  });

  it('drops an unknown specifier and a trailing %', () => {
    expect(formatCoreName('core%z.%', false, facts).name).toBe('core.');
  });

  it('appends .pid under core_uses_pid only when the pattern has no %p and is no pipe', () => {
    expect(formatCoreName('core', true, facts).name).toBe('core.42');
    expect(formatCoreName('core-%p', true, facts).name).toBe('core-42');
    expect(formatCoreName('core', false, facts).name).toBe('core');
    expect(formatCoreName('|/bin/catch %p', true, facts)).toEqual({ name: '/bin/catch 42', pipe: true });
  });
});

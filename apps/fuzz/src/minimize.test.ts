import { describe, expect, it } from 'vitest';
import { compareTranscripts, shape } from './compare';
import { splitTranscripts } from './linux';
import { minimize, opLines } from './minimize';

describe('minimize', () => {
  it('finds a 1-minimal subset under a line-set predicate, respecting validity', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `p1 op${i}`).join('\n') + '\n';
    // "Fails" when op7 and op23 are both present; op23 needs op3 (its binding).
    const evaluate = async (texts: readonly string[]): Promise<(string | undefined | 'invalid')[]> =>
      texts.map((t) => {
        const ls = opLines(t);
        if (ls.includes('p1 op23') && !ls.includes('p1 op3')) return 'invalid';
        return ls.includes('p1 op7') && ls.includes('p1 op23') ? 'SIG' : undefined;
      });
    const r = await minimize(text, 'SIG', evaluate);
    expect(opLines(r.text)).toEqual(['p1 op3', 'p1 op7', 'p1 op23']);
  });
});

describe('transcripts', () => {
  it('split the Linux runner output at == headers', () => {
    const m = splitTranscripts('== a.scn\n2: ok\n3: -EINVAL\n== b.scn\n== c.scn\n1: "x"\n');
    expect([...m]).toEqual([['a.scn', '2: ok\n3: -EINVAL\n'], ['b.scn', ''], ['c.scn', '1: "x"\n']]);
  });

  it('compare at the first differing line, with a signature', () => {
    const text = '# c\np1 mmap R 0 4K PROT_NONE MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 mprotect R 4K 0x10\n';
    expect(compareTranscripts(text, '2: ok\n3: -EINVAL\n', { transcript: '2: ok\n3: -EINVAL\n' })).toBeUndefined();
    const d = compareTranscripts(text, '2: ok\n3: -EINVAL\n', { transcript: '2: ok\n3: ok\n' });
    expect(d).toMatchObject({ line: 3, op: 'mprotect', signature: 'mprotect: linux -EINVAL / tskern ok' });
    const e = compareTranscripts(text, '2: ok\n', { transcript: '2: ok\nEND: LEAK 3 frames\n', problem: 'leak' });
    expect(e).toMatchObject({ op: 'END', signature: 'tskern leak' });
    expect(shape('+0x0..+0x1000 rw-p anon')).toBe('maps');
    expect(shape('"ab"')).toBe('bytes');
  });
});

/**
 * `--profile`: the V8 CPU profiler (what `node --cpu-prof` runs) around each
 * case's tskern side, through node:inspector in this process, so hot spots
 * come out per case and as TypeScript file:line through the scripts' source
 * maps (fetched after the profile is taken). Writes CASE.cpuprofile (for
 * Chrome DevTools) and CASE.txt (the hot spots).
 *
 * Line-level numbers need an unminified script: `pnpm --filter @tskern/bench
 * profile` runs a tsup bundle (tsx minifies whitespace, so under `pnpm bench
 * --profile` only function-level numbers mean anything).
 */
import { Session } from 'node:inspector';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

// ---- source maps (just enough of v3 to map a generated line back) ----

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));

/** Per generated line: segments [generated column, source index, original line] (0-based). */
function decodeMappings(mappings: string): [number, number, number][][] {
  const lines: [number, number, number][][] = [];
  let src = 0;
  let origLine = 0;
  for (const text of mappings.split(';')) {
    const segs: [number, number, number][] = [];
    let col = 0;
    for (const seg of text.split(',')) {
      if (seg === '') continue;
      const values: number[] = [];
      let shift = 0;
      let value = 0;
      for (const ch of seg) {
        const digit = B64_VALUE.get(ch) ?? 0;
        value += (digit & 31) << shift;
        if ((digit & 32) !== 0) {
          shift += 5;
        } else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          shift = 0;
          value = 0;
        }
      }
      col += values[0] ?? 0;
      if (values.length >= 4) {
        src += values[1]!;
        origLine += values[2]!;
        segs.push([col, src, origLine]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

class SourceMap {
  private readonly lines: [number, number, number][][];
  private readonly sources: string[];

  constructor(json: { sources: string[]; mappings: string }, scriptUrl: string) {
    this.lines = decodeMappings(json.mappings);
    this.sources = json.sources.map((s) => {
      try {
        return fileURLToPath(new URL(s, scriptUrl));
      } catch {
        return s;
      }
    });
  }

  /** Original file and 1-based line of generated (0-based line, column). */
  lookup(line: number, column: number): { file: string; line: number } | null {
    const segs = this.lines[line];
    if (segs === undefined || segs.length === 0) return null;
    let best = segs[0]!;
    for (const s of segs) if (s[0] <= column) best = s;
    return { file: this.sources[best[1]] ?? '?', line: best[2] + 1 };
  }
}

// ---- the profiler ----

export class Profiler {
  private readonly session = new Session();
  private readonly maps = new Map<string, SourceMap | null>();

  constructor(private readonly dir: string) {
    this.session.connect();
    this.post('Profiler.enable');
    this.post('Profiler.setSamplingInterval', { interval: 50 });
    mkdirSync(dir, { recursive: true });
  }

  /** Profile `fn` and write `<dir>/<slug>.cpuprofile` and `.txt`; returns fn's result. */
  profile<T>(name: string, fn: () => T): T {
    this.post('Profiler.start');
    let result: T;
    try {
      result = fn();
    } finally {
      const profile = (this.post('Profiler.stop') as { profile: CpuProfile }).profile;
      const slug = name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
      writeFileSync(`${this.dir}/${slug}.cpuprofile`, JSON.stringify(profile));
      writeFileSync(`${this.dir}/${slug}.txt`, this.summarize(name, profile));
    }
    return result;
  }

  private post(method: string, params?: object): unknown {
    let out: unknown;
    let error: Error | null = null;
    // A session on this thread answers synchronously.
    this.session.post(method, params, (err, res) => {
      error = err;
      out = res;
    });
    if (error !== null) throw error;
    return out;
  }

  /** Source maps of the scripts the profile names (scriptParsed events replay when the debugger is enabled). */
  private loadMaps(): void {
    const listener = (m: { params: { scriptId: string; url: string; sourceMapURL?: string } }) => {
      const { scriptId, url, sourceMapURL } = m.params;
      if (this.maps.has(scriptId)) return;
      let map: SourceMap | null = null;
      if (sourceMapURL !== undefined && sourceMapURL !== '') {
        try {
          const text = sourceMapURL.startsWith('data:')
            ? Buffer.from(sourceMapURL.slice(sourceMapURL.indexOf(',') + 1), 'base64').toString('utf8')
            : readFileSync(new URL(sourceMapURL, url), 'utf8');
          map = new SourceMap(JSON.parse(text), new URL(sourceMapURL, url).href);
        } catch {
          map = null;
        }
      }
      this.maps.set(scriptId, map);
    };
    this.session.on('Debugger.scriptParsed', listener);
    this.post('Debugger.enable');
    this.post('Debugger.disable');
    this.session.off('Debugger.scriptParsed', listener);
  }

  /** `file:line` of a generated position, relative to the repository. */
  private where(frame: CallFrame, line0: number, column0: number): string {
    let file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
    let line = line0 + 1;
    const hit = this.maps.get(frame.scriptId)?.lookup(line0, column0);
    if (hit) ({ file, line } = hit);
    if (file === '') return `(${frame.functionName || 'native'})`;
    return `${file.startsWith(root) ? file.slice(root.length) : file}:${line}`;
  }

  private summarize(name: string, profile: CpuProfile): string {
    this.loadMaps();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const total = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
    const selfByLine = new Map<string, number>();
    const selfByFn = new Map<string, number>();
    const inclusive = new Map<string, number>();
    const fnKey = (f: CallFrame) => `${f.functionName || '(anonymous)'}  ${this.where(f, f.lineNumber, f.columnNumber)}`;
    for (const n of profile.nodes) {
      const hits = n.hitCount ?? 0;
      if (hits === 0) continue;
      selfByFn.set(fnKey(n.callFrame), (selfByFn.get(fnKey(n.callFrame)) ?? 0) + hits);
      const ticks = n.positionTicks ?? [];
      let attributed = 0;
      for (const t of ticks) {
        const k = `${this.where(n.callFrame, t.line - 1, 0)}  ${n.callFrame.functionName || '(anonymous)'}`;
        selfByLine.set(k, (selfByLine.get(k) ?? 0) + t.ticks);
        attributed += t.ticks;
      }
      if (attributed < hits) {
        const k = `${this.where(n.callFrame, n.callFrame.lineNumber, n.callFrame.columnNumber)}  ${n.callFrame.functionName || '(anonymous)'} (whole function)`;
        selfByLine.set(k, (selfByLine.get(k) ?? 0) + hits - attributed);
      }
    }
    // Inclusive time per function, counting recursion once.
    const visit = (id: number, onStack: Map<string, number>): number => {
      const n = byId.get(id)!;
      const k = fnKey(n.callFrame);
      let sum = n.hitCount ?? 0;
      onStack.set(k, (onStack.get(k) ?? 0) + 1);
      for (const c of n.children ?? []) sum += visit(c, onStack);
      const depth = onStack.get(k)!;
      if (depth === 1) inclusive.set(k, (inclusive.get(k) ?? 0) + sum);
      if (depth === 1) onStack.delete(k);
      else onStack.set(k, depth - 1);
      return sum;
    };
    visit(profile.nodes[0]!.id, new Map());
    const pct = (v: number) => `${((100 * v) / total).toFixed(1).padStart(5)}%`;
    const top = (m: Map<string, number>, n: number, filter: (k: string) => boolean = () => true) =>
      [...m].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${pct(v)}  ${k}`);
    const ms = ((profile.endTime - profile.startTime) / 1000).toFixed(0);
    return [
      `${name}: ${total} samples over ${ms} ms (tskern side only)`,
      '',
      'self time by line:',
      ...top(selfByLine, 25),
      '',
      'self time by function:',
      ...top(selfByFn, 15),
      '',
      'inclusive time by function (tskern packages):',
      ...top(inclusive, 20, (k) => k.includes('packages/')),
      '',
    ].join('\n');
  }
}

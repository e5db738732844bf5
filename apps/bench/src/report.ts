/** The outputs: the terminal table, the JSON file, a Markdown table. */
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { formatTarget, type CaseResult } from './types';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  kernel: string;
  memoryBytes: number;
  /** 1, 5 and 15 minute load averages when the run started: a busy machine makes noisy numbers. */
  loadAverage: number[];
  date: string;
}

export function machine(): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    node: process.version,
    kernel: `${type()} ${release()}`,
    memoryBytes: totalmem(),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    date: new Date().toISOString(),
  };
}

export function describeMachine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${m.kernel}, Node ${m.node} (load ${m.loadAverage.join(' ')} at start)`;
}

/** 3 significant digits, thousands grouped from 1,000 up. */
export function formatNumber(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a === 0) return '0';
  return Number(v.toPrecision(3)).toString();
}

const HEADERS = ['case', 'unit', 'tskern', 'reference', 'reference name', 'ratio', 'target', 'met'];

function cells(r: CaseResult): string[] {
  const unavailable = r.tskern === null && r.note !== undefined ? r.note : null;
  return [
    r.name,
    r.unit,
    unavailable ?? formatNumber(r.tskern),
    formatNumber(r.reference),
    r.referenceName,
    formatNumber(r.ratio),
    formatTarget(r.target),
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ];
}

/** Notes of rows that have a value (missing values already show theirs). */
function notes(results: readonly CaseResult[]): string[] {
  return results.filter((r) => r.note !== undefined && r.tskern !== null).map((r) => `  ${r.name}: ${r.note}`);
}

export function formatTable(results: readonly CaseResult[]): string {
  const rows = [HEADERS, ...results.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const numeric = new Set([2, 3, 5]);
  const line = (row: string[]) =>
    row.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  const n = notes(results);
  if (n.length > 0) out.push('', 'notes:', ...n);
  return `${out.join('\n')}\n`;
}

export function formatMarkdown(results: readonly CaseResult[], m: Machine): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out = [
    `Machine: ${describeMachine(m)}.`,
    '',
    `| ${HEADERS.join(' | ')} |`,
    `|${HEADERS.map((_, i) => ([2, 3, 5].includes(i) ? ' ---: ' : ' --- ')).join('|')}|`,
    ...results.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
  ];
  const n = notes(results);
  if (n.length > 0) out.push('', 'Notes:', '', ...n.map((s) => `- ${s.trim()}`));
  return `${out.join('\n')}\n`;
}

/** The JSON file: the machine and one entry per case. */
export function toJson(results: readonly CaseResult[], m: Machine): string {
  return `${JSON.stringify(
    {
      machine: m,
      cases: results.map((r) => ({
        name: r.name,
        unit: r.unit,
        tskern: r.tskern,
        reference: r.reference,
        referenceName: r.referenceName,
        ratio: r.ratio,
        target: r.target,
        met: r.met,
        ...(r.note !== undefined ? { note: r.note } : {}),
        ...(r.series !== undefined ? { series: r.series } : {}),
        ...(r.timing !== undefined ? { timing: r.timing } : {}),
      })),
    },
    null,
    2,
  )}\n`;
}

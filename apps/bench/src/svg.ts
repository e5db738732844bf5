/**
 * bench-out/scaling.svg: the scaling cases (cost against the number of
 * mappings, tskern and Linux), one panel per family, log-log. Hand-written
 * SVG, no dependency.
 */
import type { CaseResult } from './types';

const PANEL_W = 440;
const PANEL_H = 320;
const M = { left: 64, right: 16, top: 52, bottom: 48 };
const COLORS = { tskern: '#1f77b4', Linux: '#ff7f0e' } as const;

const TITLES: Record<string, string> = {
  fork: 'fork+exit+wait',
  mmap: 'mmap+munmap of 4 KiB',
  exit: 'exit with N shm mappings (per mapping)',
};

interface Point {
  n: number;
  v: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function tickLabel(v: number): string {
  if (v >= 1000) return `${v / 1000}k`;
  return Number(v.toPrecision(3)).toString();
}

/** Powers of ten covering [lo, hi], with 2 and 5 between them when the range is short. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  const steps = Math.log10(hi / lo) < 2 ? [1, 2, 5] : [1];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const s of steps) {
      const t = s * 10 ** e;
      if (t >= lo && t <= hi) ticks.push(t);
    }
  }
  return ticks;
}

function panel(family: string, unit: string, series: Record<'tskern' | 'Linux', Point[]>, x0: number): string {
  const all = [...series.tskern, ...series.Linux];
  const ns = all.map((p) => p.n);
  const vs = all.map((p) => p.v);
  const xLo = Math.min(...ns) / 1.5;
  const xHi = Math.max(...ns) * 1.5;
  const yLo = Math.min(...vs) / 1.5;
  const yHi = Math.max(...vs) * 1.5;
  const w = PANEL_W - M.left - M.right;
  const h = PANEL_H - M.top - M.bottom;
  const sx = (n: number) => x0 + M.left + (Math.log10(n / xLo) / Math.log10(xHi / xLo)) * w;
  const sy = (v: number) => M.top + h - (Math.log10(v / yLo) / Math.log10(yHi / yLo)) * h;
  const parts: string[] = [];
  parts.push(`<text x="${x0 + PANEL_W / 2}" y="22" text-anchor="middle" font-weight="bold">${esc(TITLES[family] ?? family)}</text>`);
  parts.push(`<rect x="${x0 + M.left}" y="${M.top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`);
  for (const n of [...new Set(ns)].sort((a, b) => a - b)) {
    const x = sx(n).toFixed(1);
    parts.push(`<line x1="${x}" y1="${M.top}" x2="${x}" y2="${M.top + h}" stroke="#eee"/>`);
    parts.push(`<text x="${x}" y="${M.top + h + 16}" text-anchor="middle">${tickLabel(n)}</text>`);
  }
  for (const t of logTicks(yLo, yHi)) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${x0 + M.left}" y1="${y}" x2="${x0 + M.left + w}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<text x="${x0 + M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tickLabel(t)}</text>`);
  }
  parts.push(`<text x="${x0 + M.left + w / 2}" y="${PANEL_H - 10}" text-anchor="middle">mappings (log)</text>`);
  parts.push(
    `<text transform="translate(${x0 + 16} ${M.top + h / 2}) rotate(-90)" text-anchor="middle">${esc(unit)} (log)</text>`,
  );
  // The legend sits between the title and the plot, where no line can run.
  let legendX = x0 + M.left;
  const legendY = M.top - 12;
  for (const name of ['tskern', 'Linux'] as const) {
    const pts = series[name];
    if (pts.length === 0) continue;
    const color = COLORS[name];
    const path = pts.map((p) => `${sx(p.n).toFixed(1)},${sy(p.v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of pts) parts.push(`<circle cx="${sx(p.n).toFixed(1)}" cy="${sy(p.v).toFixed(1)}" r="3" fill="${color}"/>`);
    parts.push(`<line x1="${legendX}" y1="${legendY}" x2="${legendX + 20}" y2="${legendY}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${legendX + 26}" y="${legendY}" dominant-baseline="middle">${name}</text>`);
    legendX += 90;
  }
  return parts.join('\n');
}

/** The chart, or null when no scaling case has a value. */
export function scalingSvg(results: readonly CaseResult[]): string | null {
  const families = new Map<string, { unit: string; series: Record<'tskern' | 'Linux', Point[]> }>();
  for (const r of results) {
    if (r.series === undefined) continue;
    let f = families.get(r.series.family);
    if (f === undefined) {
      f = { unit: r.unit, series: { tskern: [], Linux: [] } };
      families.set(r.series.family, f);
    }
    if (r.tskern !== null && r.tskern > 0) f.series.tskern.push({ n: r.series.n, v: r.tskern });
    if (r.reference !== null && r.reference > 0) f.series.Linux.push({ n: r.series.n, v: r.reference });
  }
  const panels = [...families].filter(([, f]) => f.series.tskern.length + f.series.Linux.length > 0);
  if (panels.length === 0) return null;
  const width = PANEL_W * panels.length;
  const body = panels.map(([name, f], i) => panel(name, f.unit, f.series, i * PANEL_W)).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL_H}" viewBox="0 0 ${width} ${PANEL_H}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}

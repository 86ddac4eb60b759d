// Figures over repetitions: min / median / max, and a printed table.
export interface Figure {
  scenario: string;
  name: string;
  unit: string;
  min: number;
  median: number;
  max: number;
  /** The reference measured in the same run, for comparison. */
  reference?: { name: string; median: number };
  /** The median against the reference, as the goal states it ("23.4%", "1.31x"). */
  ratio?: string;
  goal?: string;
  note?: string;
}

export function summarize(values: number[]): { min: number; median: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor((s.length - 1) / 2)]!, max: s[s.length - 1]! };
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

export function table(figures: Figure[]): string {
  const rows = [['scenario', 'figure', 'median', 'min', 'max', 'unit', 'reference (median)', 'vs reference', 'goal']];
  for (const f of figures) {
    rows.push([
      f.scenario,
      f.name,
      fmt(f.median),
      fmt(f.min),
      fmt(f.max),
      f.unit,
      f.reference ? `${f.reference.name}: ${fmt(f.reference.median)}` : '',
      f.ratio ?? '',
      f.goal ?? '',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

export async function repeat<T>(times: number, fn: (i: number) => Promise<T> | T): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(await fn(i));
  return out;
}

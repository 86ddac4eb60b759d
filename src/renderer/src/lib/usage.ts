// Tokens and money as the window shows them (header, history, usage rows). Pure, unit-tested.
import type { Usage } from '../../../shared/events';

/** `$0.0123` under a dollar (cents alone would hide a cheap stage), `$1.23` from a dollar up. */
export function formatCost(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) return '—';
  if (usd === 0) return '$0.00';
  if (usd < 0.0001) return '<$0.0001';
  if (usd < 1) return `$${usd.toFixed(4)}`;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** `950`, `12.3k`, `123k`, `4.5M`: three significant figures at most, never `1000k`. */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1000) return String(Math.round(n));
  const units: Array<[number, string]> = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (let i = units.length - 1; i >= 0; i--) {
    const [size, suffix] = units[i]!;
    const value = n / size;
    const text = value < 100 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
    // 999,950 rounds to "1000k": that is the next unit's "1M".
    if (Number(text) < 1000 || i === 0) return `${text}${suffix}`;
  }
  return String(n);
}

/** The tokens a workflow used: what it sent and what it got back (cache reads are shown apart). */
export const totalTokens = (u: Usage): number => u.inputTokens + u.outputTokens;

/** A usage as one short phrase, cost first: `$0.0123 · 12.3k tokens`; null when nothing was counted. */
export function usageSummary(u: Usage | null | undefined): string | null {
  if (!u) return null;
  const tokens = totalTokens(u);
  if (tokens === 0 && u.cachedTokens === 0 && u.costUsd === null) return null;
  const words = `${formatTokens(tokens)} tokens`;
  return u.costUsd === null ? words : `${formatCost(u.costUsd)} · ${words}`;
}

/** The breakdown, for a tooltip and for screen readers. */
export function usageDetail(u: Usage): string {
  const parts = [
    `${u.inputTokens.toLocaleString('en-US')} input`,
    `${u.outputTokens.toLocaleString('en-US')} output`,
    `${u.cachedTokens.toLocaleString('en-US')} cached tokens`,
  ];
  return `${parts.join(', ')}; cost ${u.costUsd === null ? 'not reported by the agent' : formatCost(u.costUsd)}`;
}

/** Usage read defensively from an event's `data` (a newer or older core may send another shape). */
export function usageOf(data: Record<string, unknown> | undefined): Usage | null {
  if (!data) return null;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
  const inputTokens = count(data.inputTokens);
  const outputTokens = count(data.outputTokens);
  if (inputTokens === null || outputTokens === null) return null;
  return { inputTokens, outputTokens, cachedTokens: count(data.cachedTokens) ?? 0, costUsd: count(data.costUsd) };
}

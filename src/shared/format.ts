// Money and tokens as every surface writes them (window, tray, event messages, failure reasons):
// one set of rules, so a figure reads the same wherever it appears. Pure: no Node, no DOM.
import type { Usage } from './events';

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

/** An exact count with thousands separators: `12,345`. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

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
  const parts = [`${formatCount(u.inputTokens)} input`, `${formatCount(u.outputTokens)} output`, `${formatCount(u.cachedTokens)} cached tokens`];
  return `${parts.join(', ')}; cost ${u.costUsd === null ? 'not reported by the agent' : formatCost(u.costUsd)}`;
}

/** A `usage` event's message: "Usage: 1,234 in · 56 out · 7,890 cached · $0.0123". */
export function usageLine(u: Usage): string {
  const cost = u.costUsd === null ? '' : ` · ${formatCost(u.costUsd)}`;
  return `Usage: ${formatCount(u.inputTokens)} in · ${formatCount(u.outputTokens)} out · ${formatCount(u.cachedTokens)} cached${cost}`;
}

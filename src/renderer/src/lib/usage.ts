// Usage read from events for the window; the figures are formatted by shared/format.ts, as everywhere.
import type { Usage } from '../../../shared/events';

/** Usage read defensively from an event's `data` (a newer or older core may send another shape). */
export function usageOf(data: Record<string, unknown> | undefined): Usage | null {
  if (!data) return null;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
  const inputTokens = count(data.inputTokens);
  const outputTokens = count(data.outputTokens);
  if (inputTokens === null || outputTokens === null) return null;
  return { inputTokens, outputTokens, cachedTokens: count(data.cachedTokens) ?? 0, costUsd: count(data.costUsd) };
}

// A workflow's tokens and cost (Workflow.usage, live from its pushes): in the header and the history.
import type { Usage } from '../../../shared/events';
import { usageDetail, usageSummary } from '../../../shared/format';

/**
 * `$0.0123 · 12.3k tokens`, tokens alone when the CLI reports no cost, `fallback` when the
 * workflow counted nothing (a pipeline of text-only stages). The breakdown is in the tooltip.
 */
export function UsageSummary({ usage, className = 'usage', fallback = null }: { usage: Usage | undefined; className?: string; fallback?: string | null }) {
  const summary = usageSummary(usage);
  if (!usage || !summary) return fallback === null ? null : <span className={`${className} muted`}>{fallback}</span>;
  const detail = usageDetail(usage);
  return (
    <span className={className} title={detail} data-usage="">
      {summary}
      <span className="sr-only"> ({detail})</span>
    </span>
  );
}

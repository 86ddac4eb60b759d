import type { WorkflowStatus } from '../../../shared/status';
import { STATUS_LABEL } from '../lib/format';

/** A workflow status in colour and in words (colour is never the only signal). */
export function StatusBadge({ status }: { status: WorkflowStatus }) {
  return (
    <span className={`badge s-${status}`} data-status={status}>
      <span className="dot" aria-hidden="true" />
      {STATUS_LABEL[status]}
    </span>
  );
}

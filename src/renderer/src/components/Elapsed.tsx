import { useEffect, useState } from 'react';
import { isTerminal } from '../../../shared/status';
import { elapsedMs, formatDuration } from '../lib/format';
import { useWorkflow } from '../state/hooks';

/** Elapsed time; ticks once a second while the workflow is active (only this text re-renders). */
export function Elapsed({ workflowId }: { workflowId: string }) {
  const w = useWorkflow(workflowId);
  const [now, setNow] = useState(() => Date.now());
  const active = w ? !isTerminal(w.status) : false;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  if (!w) return null;
  return (
    <span className="elapsed" aria-label="Elapsed time" title={`Created ${w.createdAt}`}>
      {formatDuration(elapsedMs(w, now))}
    </span>
  );
}

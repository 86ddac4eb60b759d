import { useEffect, useState } from 'react';
import type { WorkflowEvent } from '../../../shared/events';
import { findInTail, tailFirst } from '../lib/eventLog';
import { useApp, useEvents } from '../state/hooks';
import { Markdown } from './Markdown';

const lastApproval = (events: readonly WorkflowEvent[] | undefined): WorkflowEvent | null => {
  if (!events) return null;
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.type === 'approval_required') return events[i]!;
  return null;
};

/** The plan waiting for approval: from the loaded events, or read backwards from the core. */
export function PlanPanel({ workflowId }: { workflowId: string }) {
  const app = useApp();
  const loaded = useEvents((s) => {
    const log = s.logs[workflowId];
    return (log && findInTail(log, (e) => e.type === 'approval_required')) ?? null;
  });
  // Read from the core before the loaded tail (older pages the reader loaded may not hold the newest gate).
  const first = useEvents((s) => {
    const log = s.logs[workflowId];
    return log ? tailFirst(log) : 0;
  });
  const ready = useEvents((s) => s.logs[workflowId]?.status === 'ready');
  const [fetched, setFetched] = useState<WorkflowEvent | null>(null);

  useEffect(() => {
    if (loaded || !ready || first <= 1) return;
    let stop = false;
    void (async () => {
      let before = first;
      while (!stop && before > 1) {
        const page = await app.client.call('events.list', { workflowId, beforeSequence: before, limit: 5000 });
        const found = lastApproval(page);
        if (found) return !stop && setFetched(found);
        if (page.length === 0) return;
        before = page[0]!.sequence;
      }
    })().catch(() => undefined);
    return () => {
      stop = true;
    };
  }, [app, workflowId, loaded, ready, first]);

  const gate = loaded ?? fetched;
  const plan = typeof gate?.data?.plan === 'string' ? gate.data.plan : null;
  const planFile = typeof gate?.data?.planFile === 'string' ? gate.data.planFile : null;
  return (
    <section className="plan" aria-label="Plan">
      <h2>Plan waiting for your approval</h2>
      {planFile && <p className="muted mono small">{planFile}</p>}
      {plan ? <Markdown className="plan-text" text={plan} headingBase={3} /> : <p className="muted">{gate ? gate.message : 'Loading the plan…'}</p>}
    </section>
  );
}

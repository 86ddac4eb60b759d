import { findInTail } from '../lib/eventLog';
import { sandboxOf } from '../lib/format';
import { useEvents, useTracker, useUi, useWorkflow } from '../state/hooks';
import { PullRequestBadge } from './PullRequestBadge';
import { isTerminal } from '../../../shared/status';
import { Elapsed } from './Elapsed';
import { StageStepper } from './StageStepper';
import { StatusBadge } from './StatusBadge';
import { UsageSummary } from './UsageSummary';

export function WorkflowHeader({ workflowId }: { workflowId: string }) {
  const w = useWorkflow(workflowId);
  const stage = w && !isTerminal(w.status) ? w.currentStage : null;
  const sandbox = useEvents((s) => {
    const log = s.logs[workflowId];
    return sandboxOf(log && ((match) => findInTail(log, match)), stage);
  });
  const fromHistory = useUi((s) => s.main.kind === 'workflow');
  const link = useTracker((s) => (w ? s.links[w.worktreePath] : undefined));
  if (!w) return null;
  return (
    <header className="wf-head">
      <div className="wf-title">
        <h1>
          <span className="issue">{w.issueId}</span>
          {w.title && <span className="title">{w.title}</span>}
        </h1>
        <div className="wf-meta">
          <StatusBadge status={w.status} needsYou={w.pendingPermissions.length > 0} />
          <Elapsed workflowId={workflowId} />
          <UsageSummary usage={w.usage} />
          <span className="muted" title={w.worktreePath}>
            {w.worktreeName} · {w.pipeline.name}
          </span>
          {fromHistory && isTerminal(w.status) && <span className="tag">read-only</span>}
          <PullRequestBadge link={link} />
          {sandbox && (
            <span className="tag" data-testid="stage-sandbox" title={`Stage ${stage ?? ''} runs in the ${sandbox} sandbox of its CLI, which cannot ask before a tool runs`}>
              sandbox: {sandbox}
            </span>
          )}
        </div>
      </div>
      <StageStepper workflowId={workflowId} />
    </header>
  );
}

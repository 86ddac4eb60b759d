import { useCallback, useEffect, useState } from 'react';
import type { Workflow } from '../../../shared/domain';
import { WORKFLOW_STATUSES, type WorkflowStatus } from '../../../shared/status';
import { errorText } from '../state/commands';
import { baseName, elapsedMs, formatDateTime, formatDuration, STATUS_LABEL } from '../lib/format';
import { useApp, useRepos } from '../state/hooks';
import { upsertWorkflows } from '../state/workflowsModel';
import { StatusBadge } from './StatusBadge';
import { UsageSummary } from './UsageSummary';

const PAGE = 25;

/** Past (and present) workflows with filters and cursor paging; any one opens read-only. */
export function HistoryView() {
  const app = useApp();
  const worktreePaths = useRepos((s) => Object.values(s.worktrees).flat().map((w) => w.path).join('\n'));
  const [status, setStatus] = useState<WorkflowStatus | ''>('');
  const [worktree, setWorktree] = useState('');
  const [items, setItems] = useState<Workflow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (from: string | null) => {
      setLoading(true);
      try {
        const page = await app.client.call('workflows.list', {
          limit: PAGE,
          ...(status ? { status } : {}),
          ...(worktree ? { worktreePath: worktree } : {}),
          ...(from ? { cursor: from } : {}),
        });
        setItems((prev) => (from ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setError(null);
      } catch (e) {
        setError(errorText(e));
      } finally {
        setLoading(false);
      }
    },
    [app, status, worktree],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  const open = (w: Workflow) => {
    app.stores.workflows.setState((s) => (s.byId[w.id] ? s : upsertWorkflows(s, [w])));
    app.commands.openWorkflow(w.id);
  };

  return (
    <section className="history" aria-label="History">
      <header className="history-head">
        <h1>History</h1>
        <select aria-label="Filter by status" value={status} onChange={(e) => setStatus(e.target.value as WorkflowStatus | '')}>
          <option value="">All statuses</option>
          {WORKFLOW_STATUSES.map((s) => (
            <option key={s} value={s}>{STATUS_LABEL[s]}</option>
          ))}
        </select>
        <select aria-label="Filter by worktree" value={worktree} onChange={(e) => setWorktree(e.target.value)}>
          <option value="">All worktrees</option>
          {worktreePaths.split('\n').filter(Boolean).map((p) => (
            <option key={p} value={p}>{baseName(p)}</option>
          ))}
        </select>
      </header>
      {error && <p className="error pad" role="alert">{error}</p>}
      <div className="history-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Issue</th>
              <th scope="col">Status</th>
              <th scope="col">Worktree</th>
              <th scope="col">Pipeline</th>
              <th scope="col">Created</th>
              <th scope="col">Duration</th>
              <th scope="col">Cost</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id}>
                <td>
                  <button type="button" className="link" aria-label={`Open ${w.issueId}${w.title ? ` ${w.title}` : ''}`} onClick={() => open(w)}>
                    <strong>{w.issueId}</strong> {w.title}
                  </button>
                </td>
                <td><StatusBadge status={w.status} /></td>
                <td title={w.worktreePath}>{w.worktreeName}</td>
                <td>{w.pipeline.name}</td>
                <td>{formatDateTime(w.createdAt)}</td>
                <td>{formatDuration(elapsedMs(w, Date.now()))}</td>
                <td className="cost"><UsageSummary usage={w.usage} className="" fallback="—" /></td>
                <td className="outcome" title={w.failureReason ?? ''}>{w.failureReason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && items.length === 0 && <p className="muted pad">No workflow matches.</p>}
        {cursor && (
          <button type="button" className="more" disabled={loading} onClick={() => void load(cursor)}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        )}
      </div>
    </section>
  );
}

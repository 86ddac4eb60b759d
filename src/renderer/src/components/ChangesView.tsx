import { useCallback, useEffect, useState } from 'react';
import type { Diff } from '../../../shared/domain';
import type { WorkflowStatus } from '../../../shared/status';
import { findInTail, type EventLog } from '../lib/eventLog';
import { errorText } from '../state/commands';
import { useApp, useEvents, useShownWorkflowId } from '../state/hooks';
import { DiffView } from './DiffView';

const STATUS_MARK: Record<Diff['files'][number]['status'], string> = {
  added: 'A',
  modified: 'M',
  deleted: 'D',
  renamed: 'R',
  untracked: 'U',
};

/** The sequence of the newest file event among the last few hundred (cheap on a busy log). */
function latestFileEvent(log: EventLog | undefined): number {
  return (log && findInTail(log, (e) => e.type.startsWith('file_'), 500)?.sequence) ?? 0;
}

/** Changed files of the worktree against its branch's base, and the diff of the chosen one. */
export function ChangesView({ worktreePath, status }: { worktreePath: string; status: WorkflowStatus }) {
  const app = useApp();
  const workflowId = useShownWorkflowId();
  // Re-read when the agent reports a file change or the workflow moves on.
  const fileEvents = useEvents((s) => latestFileEvent(workflowId ? s.logs[workflowId] : undefined));
  const [diff, setDiff] = useState<Diff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);

  const load = useCallback(() => {
    let stale = false;
    app.client
      .call('worktrees.diff', { worktreePath })
      .then((d) => {
        if (stale) return;
        setDiff(d);
        setError(null);
      })
      .catch((e: unknown) => !stale && setError(errorText(e)));
    return () => {
      stale = true;
    };
  }, [app, worktreePath]);

  useEffect(() => load(), [load, status, fileEvents]);

  const files = diff?.files ?? [];
  const selected = files.find((f) => f.path === chosen) ?? files[0] ?? null;
  return (
    <div className="changes">
      <div className="changes-files">
        <div className="changes-head">
          <span className="muted small">{diff ? `${files.length} file${files.length === 1 ? '' : 's'} changed${diff.base ? ` since ${diff.base.slice(0, 10)}` : ''}` : 'Reading changes…'}</span>
          <button type="button" className="ghost small" onClick={() => load()}>
            Refresh
          </button>
        </div>
        {error && <p className="error pad" role="alert">{error}</p>}
        {diff && files.length === 0 && <p className="muted pad">No changes in this worktree.</p>}
        <ul aria-label="Changed files">
          {files.map((f) => (
            <li key={f.path}>
              <button type="button" aria-pressed={selected?.path === f.path} className="file" onClick={() => setChosen(f.path)}>
                <span className={`fmark f-${f.status}`} title={f.status}>{STATUS_MARK[f.status]}</span>
                <span className="fpath">{f.path}</span>
                <span className="fstat">
                  {f.binary ? 'binary' : (
                    <>
                      <span className="add">+{f.additions}</span> <span className="del">−{f.deletions}</span>
                    </>
                  )}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {diff?.truncated && <p className="muted small pad">The diff is large and was truncated by the core.</p>}
      </div>
      <DiffView patch={diff?.patch ?? ''} path={selected?.path ?? null} />
    </div>
  );
}

import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isApprovalStage, type PipelineInfo } from '../../../../shared/pipeline';
import { errorText } from '../../state/commands';
import { useApp, useRepos } from '../../state/hooks';
import { ErrorText, Field, Modal } from './Modal';
import { useSubmit } from './useSubmit';

/** The pipeline to preselect: "default" when it can run, else the first that can. */
const preferred = (list: PipelineInfo[]): string => (list.find((p) => p.name === 'default' && !p.unavailable) ?? list.find((p) => !p.unavailable))?.name ?? '';

export function StartWorkflowDialog({ initialWorktree, onClose }: { initialWorktree: string | null; onClose: () => void }) {
  const app = useApp();
  const worktrees = useRepos(
    useShallow((s) => s.repos.flatMap((r) => (s.worktrees[r.id] ?? []).map((w) => `${w.path}\t${r.name} / ${w.branch ?? w.path}`))),
  );
  const [worktreePath, setWorktreePath] = useState(initialWorktree ?? worktrees[0]?.split('\t')[0] ?? '');
  const [issueId, setIssueId] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [pipelines, setPipelines] = useState<PipelineInfo[] | null>(null);
  const [pipeline, setPipeline] = useState('');
  const [queue, setQueue] = useState(false);
  const { busy, error, setError, onSubmit } = useSubmit(async () => {
    await app.commands.startWorkflow({
      worktreePath,
      issueId,
      ...(title ? { title } : {}),
      ...(description ? { description } : {}),
      ...(pipeline ? { pipeline } : {}),
      ...(queue ? { queue: true } : {}),
    });
    onClose();
  });

  useEffect(() => {
    void app.commands.refreshSettings().catch(() => undefined);
  }, [app]);

  useEffect(() => {
    if (!worktreePath) return;
    let stale = false;
    setPipelines(null);
    app.client
      .call('pipelines.list', { worktreePath })
      .then((list) => {
        if (stale) return;
        setPipelines(list);
        setPipeline((current) => (list.some((p) => p.name === current && !p.unavailable) ? current : preferred(list)));
      })
      .catch((e: unknown) => !stale && setError(errorText(e)));
    return () => {
      stale = true;
    };
  }, [app, worktreePath]);

  // While the list loads, submitting starts the core's `default` pipeline (the one preselected in
  // most repositories), so a fast Enter is never silently ignored.
  const chosen = pipelines?.find((p) => p.name === pipeline);
  return (
    <Modal title="Start a workflow" onClose={onClose} className="wide">
      <form onSubmit={onSubmit}>
        <Field label="Worktree">
          {(id) => (
            <select id={id} value={worktreePath} onChange={(e) => setWorktreePath(e.target.value)}>
            {worktrees.map((line) => {
              const [path, label] = line.split('\t') as [string, string];
              return <option key={path} value={path}>{label}</option>;
            })}
          </select>
          )}
        </Field>
        <div className="row2">
          <Field label="Issue id">
            {(id) => (
              <input id={id} data-autofocus="" required value={issueId} onChange={(e) => setIssueId(e.target.value)} placeholder="e.g. SW-42" />
            )}
          </Field>
          <Field label="Title" className="grow">
            {(id) => (
              <input id={id} value={title} onChange={(e) => setTitle(e.target.value)} />
            )}
          </Field>
        </div>
        <Field label="Description">
          {(id) => (
            <textarea id={id} rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />
          )}
        </Field>
        <Field label="Pipeline">
          {(id) => (
            <select id={id} value={pipeline} onChange={(e) => setPipeline(e.target.value)} disabled={!pipelines}>
            {!pipelines && <option value="">Loading pipelines…</option>}
            {pipelines?.map((p) => (
              <option key={p.name} value={p.name} disabled={Boolean(p.unavailable)}>
                {p.name} ({p.source}){p.unavailable ? ` — unavailable: ${p.unavailable}` : ''}
              </option>
            ))}
          </select>
          )}
        </Field>
        {chosen && (
          <p className="muted small stages-line">
            {chosen.description ? `${chosen.description} — ` : ''}
            {chosen.stages.map((s) => (isApprovalStage(s) ? `${s.name} (approval)` : `${s.name} (${s.agent})`)).join(' → ')}
          </p>
        )}
        {pipelines?.some((p) => p.unavailable) && (
          <ul className="unavailable small" aria-label="Pipelines that cannot run here">
            {pipelines.filter((p) => p.unavailable).map((p) => (
              <li key={p.name}><strong>{p.name}</strong>: {p.unavailable}</li>
            ))}
          </ul>
        )}
        <label className="check">
          <input type="checkbox" checked={queue} onChange={(e) => setQueue(e.target.checked)} /> Queue if at the concurrency limit
        </label>
        <ErrorText error={error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>Close</button>
          <button type="submit" className="primary" disabled={busy || !worktreePath || issueId.trim() === '' || (pipelines !== null && !pipeline)}>
            Start workflow
          </button>
        </div>
      </form>
    </Modal>
  );
}

import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp, useRepos } from '../../state/hooks';
import { ErrorText, Field, Modal } from './Modal';
import { useSubmit } from './useSubmit';

export function CreateWorktreeDialog({ initialRepo, onClose }: { initialRepo: string | null; onClose: () => void }) {
  const app = useApp();
  const repos = useRepos(useShallow((s) => s.repos.map((r) => `${r.id}\t${r.name}`)));
  const [repoId, setRepoId] = useState(initialRepo ?? repos[0]?.split('\t')[0] ?? '');
  const [branch, setBranch] = useState('');
  const [path, setPath] = useState('');
  const { busy, error, onSubmit } = useSubmit(async () => {
    await app.worktreeRuns.createWorktree(repoId, branch.trim(), path.trim() || undefined);
    onClose();
  });
  return (
    <Modal title="Create a worktree" onClose={onClose}>
      <form onSubmit={onSubmit}>
        <Field label="Repository">
          {(id) => (
            <select id={id} value={repoId} onChange={(e) => setRepoId(e.target.value)}>
            {repos.map((line) => {
              const [id, name] = line.split('\t') as [string, string];
              return <option key={id} value={id}>{name}</option>;
            })}
          </select>
          )}
        </Field>
        <Field label="Branch">
          {(id) => (
            <input id={id} data-autofocus="" required value={branch} onChange={(e) => setBranch(e.target.value)} placeholder="feature/sw-42" />
          )}
        </Field>
        <Field label="Path (optional)">
          {(id) => (
            <input id={id} className="mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder="default: beside the repository" />
          )}
        </Field>
        <ErrorText error={error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>Close</button>
          <button type="submit" className="primary" disabled={busy || !repoId || branch.trim() === ''}>Create worktree</button>
        </div>
      </form>
    </Modal>
  );
}

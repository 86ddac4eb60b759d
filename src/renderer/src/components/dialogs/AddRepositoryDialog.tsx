import { useState } from 'react';
import { useApp } from '../../state/hooks';
import { ErrorText, Field, Modal } from './Modal';
import { useSubmit } from './useSubmit';

export function AddRepositoryDialog({ onClose }: { onClose: () => void }) {
  const app = useApp();
  const [path, setPath] = useState('');
  const { busy, error, onSubmit } = useSubmit(async () => {
    const repo = await app.commands.addRepository(path.trim());
    const first = app.stores.repos.getState().worktrees[repo.id]?.[0];
    if (first) app.commands.openWorktree(first.path);
    onClose();
  });
  return (
    <Modal title="Add a repository" onClose={onClose}>
      <form onSubmit={onSubmit}>
        <Field label="Path of a git repository">
          {(id) => (
            <input id={id} data-autofocus="" required className="mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/src/project" />
          )}
        </Field>
        <ErrorText error={error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>Close</button>
          <button type="submit" className="primary" disabled={busy || path.trim() === ''}>Add repository</button>
        </div>
      </form>
    </Modal>
  );
}

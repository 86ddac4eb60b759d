import { useState } from 'react';
import { useApp, useRepos } from '../../state/hooks';
import { ErrorText, Modal } from './Modal';
import { useSubmit } from './useSubmit';

export function RemoveWorktreeDialog({ worktreePath, onClose }: { worktreePath: string; onClose: () => void }) {
  const app = useApp();
  const wt = useRepos((s) => Object.values(s.worktrees).flat().find((w) => w.path === worktreePath));
  const [force, setForce] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    await app.commands.removeWorktree(worktreePath, force);
    onClose();
  });
  return (
    <Modal title={`Remove worktree ${wt?.branch ?? worktreePath}?`} onClose={onClose}>
      <p>
        The directory <code>{worktreePath}</code> is deleted; the branch stays in the repository.
      </p>
      {wt?.dirty && <p className="warn-text">It has uncommitted changes: removing it needs “force” and loses them.</p>}
      <label className="check">
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force: also discard uncommitted changes
      </label>
      <ErrorText error={error} />
      <div className="buttons">
        <button type="button" data-autofocus="" onClick={onClose}>Keep it</button>
        <button type="button" className="danger" disabled={busy} onClick={() => void submit()}>Remove worktree</button>
      </div>
    </Modal>
  );
}

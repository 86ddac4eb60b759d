import { useState } from 'react';
import { useApp, useWorkflow } from '../../state/hooks';
import { ErrorText, Field, Modal } from './Modal';
import { useSubmit } from './useSubmit';

export function RejectDialog({ workflowId, onClose }: { workflowId: string; onClose: () => void }) {
  const app = useApp();
  const w = useWorkflow(workflowId);
  const [feedback, setFeedback] = useState('');
  const [replan, setReplan] = useState(false);
  const { busy, error, setError, submit } = useSubmit(async () => {
    await app.commands.reject(workflowId, feedback, replan);
    onClose();
  });
  const empty = feedback.trim() === '';

  const send = () => {
    if (empty) setError('Feedback is required: say what is wrong with the plan.');
    else void submit();
  };

  return (
    <Modal title={`Reject the plan of ${w?.issueId ?? 'this workflow'}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <Field label="Feedback (required)">
          {(id) => (
            <textarea id={id}
            data-autofocus=""
            rows={5}
            required
            value={feedback}
            onChange={(e) => setFeedback(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send();
            }}
          />
          )}
        </Field>
        <fieldset className="choice">
          <legend>What happens next</legend>
          <label>
            <input type="radio" name="outcome" checked={!replan} onChange={() => setReplan(false)} /> Fail the workflow with this feedback
          </label>
          <label>
            <input type="radio" name="outcome" checked={replan} onChange={() => setReplan(true)} /> Replan: send it back to the planning stage with this feedback
          </label>
        </fieldset>
        <ErrorText error={error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>Back</button>
          <button type="submit" className="danger" disabled={busy || empty}>
            {replan ? 'Reject and replan' : 'Reject'}
          </button>
        </div>
        <p className="muted small">Ctrl+Enter submits.</p>
      </form>
    </Modal>
  );
}

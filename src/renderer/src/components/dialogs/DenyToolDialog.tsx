import { useState } from 'react';
import { PERMISSION_MESSAGE_MAX } from '../../../../shared/permissions';
import { useApp, useWorkflow } from '../../state/hooks';
import { ErrorText, Field, Modal } from './Modal';
import { useSubmit } from './useSubmit';

/** Rule 11: deny a tool request; the message is what the agent reads instead of the tool's result. */
export function DenyToolDialog({ workflowId, requestId, onClose }: { workflowId: string; requestId: string; onClose: () => void }) {
  const app = useApp();
  const request = useWorkflow(workflowId)?.pendingPermissions.find((p) => p.requestId === requestId);
  const [message, setMessage] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const text = message.trim();
    await app.commands.decidePermission({ workflowId, requestId, decision: 'deny', ...(text ? { message: text } : {}) });
    onClose();
  });
  return (
    <Modal title="Deny the tool request" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p>
          <code className="tool-summary">{request?.summary ?? 'This request no longer waits.'}</code>
        </p>
        <Field label="Message for the agent (optional)">
          {(id) => (
            <textarea
              id={id}
              data-autofocus=""
              rows={3}
              maxLength={PERMISSION_MESSAGE_MAX}
              placeholder="e.g. Use npm test instead"
              value={message}
              onChange={(e) => setMessage(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
              }}
            />
          )}
        </Field>
        <ErrorText error={error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>Back</button>
          <button type="submit" className="danger" disabled={busy || !request}>
            Deny
          </button>
        </div>
        <p className="muted small">Ctrl+Enter submits.</p>
      </form>
    </Modal>
  );
}

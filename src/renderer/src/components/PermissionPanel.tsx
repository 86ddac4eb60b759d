// Rule 11: the tool requests of the open workflow that wait for the person, oldest first, each
// with its tool, the command or path, and Allow / Allow always for this repository / Deny. The
// keys (Y, Shift+Y, X) act on the first one.
import { useShallow } from 'zustand/react/shallow';
import type { WorkflowEvent } from '../../../shared/events';
import type { PendingPermission } from '../../../shared/permissions';
import { withKey } from '../lib/keymap';
import { useApp, useWorkflows } from '../state/hooks';
import { errorText } from '../state/commands';

const NONE: readonly PendingPermission[] = [];

export function PermissionPanel({ workflowId }: { workflowId: string }) {
  const app = useApp();
  const pending = useWorkflows(useShallow((s) => s.byId[workflowId]?.pendingPermissions ?? NONE));
  if (pending.length === 0) return null;
  const fail = (e: unknown) => app.stores.ui.setState({ notice: { text: errorText(e), tone: 'error' } });
  return (
    <section className="tool-requests" aria-label="Tool requests">
      <h2>
        {pending.length === 1 ? 'The agent asks to use a tool' : `The agent asks to use ${pending.length} tools`}
      </h2>
      <ol>
        {pending.map((p, i) => {
          const first = i === 0;
          const key = (id: 'allowTool' | 'allowToolAlways' | 'denyTool', label: string) => (first ? withKey(id, label) : label);
          return (
            <li key={p.requestId} className="tool-request" data-request-id={p.requestId}>
              <div className="tool-what">
                <span className="tag">{p.tool}</span>
                <code className="tool-summary">{p.summary}</code>
                <span className="muted small">stage {p.stage}</span>
              </div>
              <div className="buttons">
                <button type="button" className="primary" title={key('allowTool', 'Allow once')} onClick={() => void app.commands.decidePermission({ workflowId, requestId: p.requestId, decision: 'allow' }).catch(fail)}>
                  Allow
                </button>
                <button
                  type="button"
                  title={key('allowToolAlways', 'Allow now and remember the rule for this repository')}
                  onClick={() => void app.commands.decidePermission({ workflowId, requestId: p.requestId, decision: 'allow', remember: 'repository' }).catch(fail)}
                >
                  Allow always for this repository
                </button>
                <button type="button" className="danger" title={key('denyTool', 'Deny, with a message for the agent')} onClick={() => app.stores.ui.setState({ dialog: { kind: 'denyTool', workflowId, requestId: p.requestId } })}>
                  Deny…
                </button>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** In the event row of a request that still waits: the same three answers (rule 11). */
export function PermissionRowActions({ event }: { event: WorkflowEvent }) {
  const app = useApp();
  const requestId = typeof event.data?.requestId === 'string' ? event.data.requestId : null;
  const waiting = useWorkflows((s) => requestId !== null && (s.byId[event.workflowId]?.pendingPermissions.some((p) => p.requestId === requestId) ?? false));
  // The keys answer the oldest waiting request: its row names them, like the panel's first entry.
  const oldest = useWorkflows((s) => requestId !== null && s.byId[event.workflowId]?.pendingPermissions[0]?.requestId === requestId);
  if (!waiting || requestId === null) return null;
  const workflowId = event.workflowId;
  const key = (id: 'allowTool' | 'allowToolAlways' | 'denyTool', label: string) => (oldest ? withKey(id, label) : label);
  const fail = (e: unknown) => app.stores.ui.setState({ notice: { text: errorText(e), tone: 'error' } });
  return (
    <span className="ev-actions">
      <button type="button" className="small primary" title={key('allowTool', 'Allow once')} onClick={() => void app.commands.decidePermission({ workflowId, requestId, decision: 'allow' }).catch(fail)}>
        Allow
      </button>
      <button type="button" className="small" title={key('allowToolAlways', 'Allow now and remember the rule for this repository')} onClick={() => void app.commands.decidePermission({ workflowId, requestId, decision: 'allow', remember: 'repository' }).catch(fail)}>
        Allow always
      </button>
      <button type="button" className="small danger" title={key('denyTool', 'Deny, with a message for the agent')} onClick={() => app.stores.ui.setState({ dialog: { kind: 'denyTool', workflowId, requestId } })}>
        Deny…
      </button>
    </span>
  );
}

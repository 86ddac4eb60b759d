import { useShallow } from 'zustand/react/shallow';
import type { ConnectionState } from '../client';
import { useConnection, useWorkflows } from '../state/hooks';
import { countActive } from '../state/workflowsModel';

const CONNECTION_LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

export function StatusBar() {
  const { running, queued } = useWorkflows(useShallow((s) => countActive(s.byId)));
  const waiting = useWorkflows((s) => Object.values(s.byId).filter((w) => w.status === 'blocked').length);
  const asking = useWorkflows((s) => Object.values(s.byId).filter((w) => w.status === 'in_progress' && w.pendingPermissions.length > 0).length);
  const limit = useConnection((s) => s.settings?.maxConcurrent ?? null);
  const state = useConnection((s) => s.state);
  return (
    <footer className="statusbar" aria-label="Status bar">
      <span data-testid="active-count">
        Active {running} / {limit ?? '…'}
      </span>
      <span data-testid="queued-count">Queued {queued}</span>
      {waiting > 0 && <span className="attention">{waiting} waiting for approval</span>}
      {asking > 0 && <span className="attention" data-testid="needs-you-count">{asking} {asking === 1 ? 'needs' : 'need'} you (tool request)</span>}
      <span className="spacer" />
      <span className={`conn conn-${state}`} role="status" aria-label={`Connection: ${CONNECTION_LABEL[state]}`}>
        <span className="dot" aria-hidden="true" />
        {CONNECTION_LABEL[state]}
      </span>
    </footer>
  );
}

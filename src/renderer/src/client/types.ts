// The renderer's view of Switchyard: one client over either transport (docs/design.md §4.1–§4.2).
import type { Method, ParamsIn, Result } from '../../../shared/contract';
import type { Workflow } from '../../../shared/domain';
import type { WorkflowEvent } from '../../../shared/events';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SwitchyardClient {
  readonly kind: 'ipc' | 'websocket';
  /** Rejects with a ClientError. */
  call<M extends Method>(method: M, params: ParamsIn<M>): Promise<Result<M>>;
  /** Every workflow push. */
  onWorkflow(listener: (w: Workflow) => void): () => void;
  /** Every raw event push. */
  onEvents(listener: (workflowId: string, events: WorkflowEvent[]) => void): () => void;
  /**
   * Ordered, gapless, duplicate-free events of one workflow with sequence > afterSequence: pages
   * history with events.list, then live pushes; detects gaps and refills them with events.list
   * {afterSequence}; resyncs after reconnect.
   */
  followEvents(workflowId: string, afterSequence: number, listener: (events: WorkflowEvent[]) => void): () => void;
  connection(): ConnectionState;
  onConnection(listener: (s: ConnectionState) => void): () => void;
  /** The desktop shell asks to open a workflow (tray item, native notification). Never fires in a browser. */
  onNavigate(listener: (workflowId: string) => void): () => void;
}

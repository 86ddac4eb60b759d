// A small in-memory SwitchyardClient for the stores' unit tests (no network, no DOM).
import type { Method, ParamsIn, Result } from '../../../shared/contract';
import type { Workflow } from '../../../shared/domain';
import { EMPTY_USAGE, type WorkflowEvent } from '../../../shared/events';
import type { ConnectionState, SwitchyardClient } from '../client';

type Handler = (params: never) => unknown;

export class FakeClient implements SwitchyardClient {
  readonly kind: 'ipc' | 'websocket';
  readonly calls: Array<{ method: Method; params: unknown }> = [];
  private state: ConnectionState = 'open';
  private readonly handlers = new Map<Method, Handler>();
  private readonly workflowListeners = new Set<(w: Workflow) => void>();
  private readonly connectionListeners = new Set<(s: ConnectionState) => void>();
  readonly followers = new Map<string, { after: number; listener: (events: WorkflowEvent[]) => void }>();

  constructor(kind: 'ipc' | 'websocket' = 'websocket') {
    this.kind = kind;
  }

  handle<M extends Method>(method: M, handler: (params: ParamsIn<M>) => Result<M> | Promise<Result<M>>): this {
    this.handlers.set(method, handler as Handler);
    return this;
  }

  async call<M extends Method>(method: M, params: ParamsIn<M>): Promise<Result<M>> {
    this.calls.push({ method, params });
    const handler = this.handlers.get(method);
    if (!handler) throw new Error(`FakeClient: no handler for ${method}`);
    return (await handler(params as never)) as Result<M>;
  }

  onWorkflow(listener: (w: Workflow) => void): () => void {
    this.workflowListeners.add(listener);
    return () => this.workflowListeners.delete(listener);
  }

  onEvents(): () => void {
    return () => undefined;
  }

  followEvents(workflowId: string, afterSequence: number, listener: (events: WorkflowEvent[]) => void): () => void {
    this.followers.set(workflowId, { after: afterSequence, listener });
    return () => this.followers.delete(workflowId);
  }

  connection(): ConnectionState {
    return this.state;
  }

  onConnection(listener: (s: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  readonly navigateListeners = new Set<(workflowId: string) => void>();
  onNavigate(listener: (workflowId: string) => void): () => void {
    this.navigateListeners.add(listener);
    return () => this.navigateListeners.delete(listener);
  }

  // Test drivers -------------------------------------------------------------------------------

  pushWorkflow(w: Workflow): void {
    for (const l of this.workflowListeners) l(w);
  }

  pushEvents(workflowId: string, events: WorkflowEvent[]): void {
    this.followers.get(workflowId)?.listener(events);
  }

  setConnection(state: ConnectionState): void {
    this.state = state;
    for (const l of this.connectionListeners) l(state);
  }
}

export const event = (workflowId: string, sequence: number, over: Partial<WorkflowEvent> = {}): WorkflowEvent => ({
  id: `${workflowId}-${sequence}`,
  workflowId,
  sequence,
  timestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, sequence % 60)).toISOString(),
  agent: 'developer',
  type: 'agent_output',
  message: `line ${sequence}`,
  ...over,
});

export const workflow = (over: Partial<Workflow> = {}): Workflow => ({
  id: 'w1',
  issueId: 'ISS-1',
  title: 'Fix the thing',
  description: '',
  worktreePath: '/repo/a',
  worktreeName: 'a',
  pipeline: { name: 'default', stages: [{ name: 'plan', agent: 'architect', run: ['p'] }] },
  status: 'in_progress',
  currentStage: 'plan',
  createdAt: '2025-01-01T00:00:00.000Z',
  startedAt: '2025-01-01T00:00:01.000Z',
  completedAt: null,
  failureReason: null,
  usage: { ...EMPTY_USAGE },
  pendingPermissions: [],
  ...over,
});

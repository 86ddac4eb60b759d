// The client over the preload's `window.switchyard` (Electron): always connected.
import type { SwitchyardBridge } from '../../../shared/bridge';
import { splitMethod } from '../../../shared/bridge';
import type { Method, ParamsIn, Result } from '../../../shared/contract';
import type { Workflow } from '../../../shared/domain';
import type { WorkflowEvent } from '../../../shared/events';
import { ClientError } from './errors';
import { followEvents } from './follow';
import { Listeners } from './listeners';
import type { SwitchyardClient } from './types';

type AnyMethod = (params: unknown) => Promise<{ result: unknown } | { error: { code: ClientError['code']; message: string; details?: Record<string, unknown> } }>;

export function createIpcClient(bridge: SwitchyardBridge): SwitchyardClient {
  const workflowListeners = new Listeners<[Workflow]>();
  const eventListeners = new Listeners<[string, WorkflowEvent[]]>();
  bridge.subscribe((push) => {
    if (push.push === 'events') eventListeners.emit(push.data.workflowId, push.data.events);
    else if (push.push === 'workflow') workflowListeners.emit(push.data);
  });

  const client: SwitchyardClient = {
    kind: 'ipc',
    async call<M extends Method>(method: M, params: ParamsIn<M>): Promise<Result<M>> {
      const [group, name] = splitMethod(method);
      const fn = (bridge as unknown as Record<string, Record<string, AnyMethod> | undefined>)[group]?.[name];
      if (typeof fn !== 'function') throw new ClientError('INVALID_INPUT', `The preload does not offer ${method}`);
      let reply: Awaited<ReturnType<AnyMethod>>;
      try {
        reply = await fn(params);
      } catch (e) {
        throw new ClientError('INTERNAL', `The call ${method} failed in the Electron bridge: ${e instanceof Error ? e.message : String(e)}`);
      }
      if ('error' in reply) throw new ClientError(reply.error.code, reply.error.message, reply.error.details);
      return reply.result as Result<M>;
    },
    onWorkflow: (listener) => workflowListeners.add(listener),
    onEvents: (listener) => eventListeners.add(listener),
    followEvents: (workflowId, afterSequence, listener) => followEvents(client, workflowId, afterSequence, listener),
    connection: () => 'open',
    onConnection: () => () => {},
    onNavigate: (listener) => bridge.onNavigate(listener),
  };
  return client;
}

// The preload's logic as a plain module: builds the `window.switchyard` API from the contract's
// method names and exposes it. Electron's contextBridge and ipcRenderer come in as parameters
// (tests pass fakes). Only named methods on contract channels and `subscribe` are exposed:
// no generic invoke, no ipcRenderer, no event objects (they would leak `sender`).
import type { Reply, SwitchyardBridge } from '../shared/bridge';
import { splitMethod } from '../shared/bridge';
import type { Push } from '../shared/contract';
import { METHOD_NAMES, NAVIGATE_CHANNEL, PUSH_CHANNEL, channelOf } from '../shared/methods';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}
export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

export const BRIDGE_KEY = 'switchyard';

export function buildBridge(ipcRenderer: IpcRendererLike): SwitchyardBridge {
  const listeners = new Set<(push: Push) => void>();
  let listening = false;
  const groups: Record<string, Record<string, (params: unknown) => Promise<Reply<unknown>>>> = {};

  for (const method of METHOD_NAMES) {
    const [group, name] = splitMethod(method);
    const channel = channelOf(method);
    (groups[group] ??= {})[name] = async (params: unknown) => {
      try {
        return (await ipcRenderer.invoke(channel, params)) as Reply<unknown>;
      } catch (e) {
        // The main process had no handler or the params could not be cloned.
        return { error: { code: 'INTERNAL', message: `${method} could not reach Switchyard: ${e instanceof Error ? e.message : String(e)}` } };
      }
    };
  }

  const subscribe = (listener: (push: Push) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
    if (!listening) {
      listening = true;
      ipcRenderer.on(PUSH_CHANNEL, (_event, push) => {
        for (const l of [...listeners]) {
          try {
            l(push as Push);
          } catch (e) {
            console.error('switchyard: a push listener failed:', e);
          }
        }
      });
    }
    // A wrapper per subscription: subscribing one function twice gives two subscriptions.
    const entry = (push: Push) => listener(push);
    listeners.add(entry);
    return () => {
      listeners.delete(entry);
    };
  };

  const navigateListeners = new Set<(workflowId: string) => void>();
  let listeningToNavigate = false;
  const onNavigate = (listener: (workflowId: string) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('onNavigate needs a listener function');
    if (!listeningToNavigate) {
      listeningToNavigate = true;
      ipcRenderer.on(NAVIGATE_CHANNEL, (_event, message) => {
        const workflowId = (message as { workflowId?: unknown } | null)?.workflowId;
        if (typeof workflowId !== 'string' || workflowId.length === 0 || workflowId.length > 128) return;
        for (const l of [...navigateListeners]) {
          try {
            l(workflowId);
          } catch (e) {
            console.error('switchyard: a navigate listener failed:', e);
          }
        }
      });
    }
    const entry = (id: string) => listener(id);
    navigateListeners.add(entry);
    return () => {
      navigateListeners.delete(entry);
    };
  };

  return Object.freeze({ ...groups, subscribe, onNavigate }) as unknown as SwitchyardBridge;
}

export function exposeBridge(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  contextBridge.exposeInMainWorld(BRIDGE_KEY, buildBridge(ipcRenderer));
}

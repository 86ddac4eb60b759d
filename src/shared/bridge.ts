// The API the preload exposes as `window.switchyard` (docs/design.md §4, §4.1): one named, typed
// method per contract call, grouped by the method's prefix (`switchyard.workflows.start(…)`),
// and `subscribe` for pushes. No generic invoke, no raw ipcRenderer.
//
// Errors do not cross Electron's contextBridge intact (custom properties of a thrown Error are
// dropped), so every method resolves to a reply envelope instead of rejecting:
// `{ result }` or `{ error: { code, message, details? } }`. The renderer's client turns an
// error reply into a rejected ClientError.
import type { ErrorBody, Method, ParamsIn, Push, Result } from './contract';

export type Reply<T> = { result: T } | { error: ErrorBody };

type GroupOf<M extends string> = M extends `${infer G}.${string}` ? G : never;
export type MethodGroup = GroupOf<Method>;

/** The methods of one group, keyed by the part of the name after the dot. */
export type BridgeGroup<G extends MethodGroup> = {
  [M in Method as M extends `${G}.${infer N}` ? N : never]: (params: ParamsIn<M>) => Promise<Reply<Result<M>>>;
};

export type SwitchyardBridge = { readonly [G in MethodGroup]: BridgeGroup<G> } & {
  /** Every push (`events` batches and `workflow` changes); returns the unsubscribe function. */
  subscribe(listener: (push: Push) => void): () => void;
  /** The desktop shell asks the window to open a workflow (tray, notification); returns the unsubscribe function. */
  onNavigate(listener: (workflowId: string) => void): () => void;
};

/** `'workflows.start'` -> `['workflows', 'start']`. */
export function splitMethod(method: string): [group: string, name: string] {
  const dot = method.indexOf('.');
  return [method.slice(0, dot), method.slice(dot + 1)];
}

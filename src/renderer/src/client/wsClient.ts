// The client over the headless server's WebSocket (docs/design.md §4.2). Reconnects with exponential
// backoff (capped); calls made while disconnected wait for the connection, or fail after a
// timeout with a clear error; followEvents resyncs after every reconnect.
import type { Method, ParamsIn, Result } from '../../../shared/contract';
import type { Workflow } from '../../../shared/domain';
import type { WorkflowEvent } from '../../../shared/events';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors';
import { ClientError, connectionError } from './errors';
import { followEvents } from './follow';
import { Listeners } from './listeners';
import type { ConnectionState, SwitchyardClient } from './types';

/** The part of the WebSocket API the client uses (the browser's and the `ws` library's both fit). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface WebSocketClientOptions {
  /** `ws://host/ws?token=…` */
  url: string;
  /** Opens a socket; the global WebSocket by default. */
  createSocket?: (url: string) => SocketLike;
  /** How long a call waits for a connection before it fails (default 30 s). */
  connectTimeoutMs?: number;
  /** Reconnect delays: initial, doubling up to max (defaults 250 ms and 5 s). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

export interface WebSocketClient extends SwitchyardClient {
  /** Closes the connection for good: pending calls fail, no reconnect. */
  close(): void;
}

interface Waiting {
  send: () => void;
  fail: (e: ClientError) => void;
}

interface InFlight {
  resolve: (value: unknown) => void;
  reject: (e: ClientError) => void;
}

const OPEN = 1;

function defaultSocket(url: string): SocketLike {
  const Ctor = (globalThis as { WebSocket?: new (url: string) => SocketLike }).WebSocket;
  if (!Ctor) throw new Error('No WebSocket implementation in this environment');
  return new Ctor(url);
}

function asErrorCode(code: unknown): ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(code) ? (code as ErrorCode) : 'INTERNAL';
}

export function createWebSocketClient(options: WebSocketClientOptions): WebSocketClient {
  const createSocket = options.createSocket ?? defaultSocket;
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  const initialMs = options.backoffInitialMs ?? 250;
  const maxMs = options.backoffMaxMs ?? 5_000;

  const workflowListeners = new Listeners<[Workflow]>();
  const eventListeners = new Listeners<[string, WorkflowEvent[]]>();
  const connectionListeners = new Listeners<[ConnectionState]>();
  const waiting = new Set<Waiting>();
  const inFlight = new Map<number, InFlight>();

  let state: ConnectionState = 'connecting';
  let socket: SocketLike | null = null;
  let attempt = 0;
  let nextId = 1;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closedFor: ClientError | null = null;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    connectionListeners.emit(next);
  };

  const failInFlight = (error: ClientError) => {
    const calls = [...inFlight.values()];
    inFlight.clear();
    for (const c of calls) c.reject(error);
  };

  const shutDown = (error: ClientError) => {
    closedFor = error;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    const s = socket;
    socket = null;
    if (s) {
      s.onopen = s.onmessage = s.onclose = null;
      // Closing a socket that is still connecting makes it report an error afterwards; it is
      // abandoned, so that error means nothing (and Node's `ws` throws one nobody listens to).
      s.onerror = () => undefined;
      try {
        s.close(1000);
      } catch {
        // already closing
      }
    }
    failInFlight(error);
    for (const w of [...waiting]) w.fail(error);
    waiting.clear();
    setState('closed');
  };

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return;
    let msg: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(data);
      if (typeof parsed !== 'object' || parsed === null) return;
      msg = parsed as Record<string, unknown>;
    } catch {
      return;
    }
    if (msg.push === 'events') {
      const d = msg.data as { workflowId?: unknown; events?: unknown } | undefined;
      if (d && typeof d.workflowId === 'string' && Array.isArray(d.events)) eventListeners.emit(d.workflowId, d.events as WorkflowEvent[]);
      return;
    }
    if (msg.push === 'workflow') {
      if (typeof msg.data === 'object' && msg.data !== null) workflowListeners.emit(msg.data as Workflow);
      return;
    }
    const error = msg.error as { code?: unknown; message?: unknown; details?: unknown } | undefined;
    if (msg.id === null && error?.code === 'UNAUTHORIZED') {
      shutDown(new ClientError('UNAUTHORIZED', typeof error.message === 'string' ? error.message : 'Unauthorized'));
      return;
    }
    if (typeof msg.id !== 'number') return;
    const call = inFlight.get(msg.id);
    if (!call) return;
    inFlight.delete(msg.id);
    if (error) {
      const details = typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : undefined;
      call.reject(new ClientError(asErrorCode(error.code), typeof error.message === 'string' ? error.message : 'Request failed', details));
    } else {
      call.resolve(msg.result);
    }
  };

  const scheduleReconnect = () => {
    const delay = Math.min(maxMs, initialMs * 2 ** attempt);
    attempt += 1;
    // Jitter (50–100 %) so that many windows do not reconnect in step.
    reconnectTimer = setTimeout(connect, delay * (0.5 + Math.random() / 2));
  };

  function connect(): void {
    reconnectTimer = null;
    if (closedFor) return;
    let s: SocketLike;
    try {
      s = createSocket(options.url);
    } catch (e) {
      shutDown(new ClientError('INTERNAL', `Cannot open a WebSocket to Switchyard: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    socket = s;
    s.onopen = () => {
      if (socket !== s) return;
      attempt = 0;
      setState('open');
      for (const w of [...waiting]) w.send();
      waiting.clear();
    };
    s.onmessage = (ev) => {
      if (socket === s) onMessage(ev.data);
    };
    s.onerror = () => {
      // onclose follows and decides.
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      failInFlight(connectionError('lost', 'The connection to Switchyard was lost before the answer arrived; the call may or may not have been applied'));
      setState('reconnecting');
      scheduleReconnect();
    };
  }

  const client: WebSocketClient = {
    kind: 'websocket',
    call<M extends Method>(method: M, params: ParamsIn<M>): Promise<Result<M>> {
      return new Promise<Result<M>>((resolve, reject) => {
        if (closedFor) return reject(closedFor);
        const send = () => {
          const id = nextId++;
          let text: string;
          try {
            text = JSON.stringify({ id, method, params });
          } catch (e) {
            return reject(new ClientError('INVALID_INPUT', `The params of ${method} cannot be sent: ${e instanceof Error ? e.message : String(e)}`));
          }
          inFlight.set(id, { resolve: resolve as (v: unknown) => void, reject });
          socket!.send(text);
        };
        if (socket && socket.readyState === OPEN && state === 'open') return send();
        let timer: ReturnType<typeof setTimeout> | null = null;
        const entry: Waiting = {
          send: () => {
            if (timer) clearTimeout(timer);
            send();
          },
          fail: (e) => {
            if (timer) clearTimeout(timer);
            reject(e);
          },
        };
        waiting.add(entry);
        timer = setTimeout(() => {
          waiting.delete(entry);
          reject(connectionError('timeout', `Not connected to Switchyard (${method} waited ${Math.round(connectTimeoutMs / 1000)} s for the connection); is the server still running?`));
        }, connectTimeoutMs);
      });
    },
    onWorkflow: (listener) => workflowListeners.add(listener),
    onEvents: (listener) => eventListeners.add(listener),
    followEvents: (workflowId, afterSequence, listener) => followEvents(client, workflowId, afterSequence, listener),
    connection: () => state,
    onConnection: (listener) => connectionListeners.add(listener),
    // Only the desktop shell navigates the window; in a browser, notifications open workflows themselves.
    onNavigate: () => () => undefined,
    close() {
      if (!closedFor) shutDown(connectionError('closed', 'The Switchyard client was closed'));
    },
  };
  connect();
  return client;
}

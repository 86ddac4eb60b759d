// The headless server (docs/design.md §4.2): the built renderer over HTTP and the contract over a
// WebSocket at /ws, on 127.0.0.1 only. Started by src/main/serve.ts, and in process by tests.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandlers, type Handlers, type WireCore } from '../transport/handlers';
import { createPushHub, type PushHub } from '../transport/pushHub';
import { attachWebSocket, type WebSocketTransport } from '../transport/websocket';
import type { DispatchOptions } from '../transport/dispatch';
import { createStaticHandler } from './static';

export const HOST = '127.0.0.1';

export interface ServerOptions extends DispatchOptions {
  core: WireCore;
  /** 0 = a random free port. */
  port: number;
  /** The WebSocket token; random (256 bits) when not given. */
  token?: string;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** Wraps the handler table (tests count what reaches the core). */
  wrapHandlers?: (handlers: Handlers) => Handlers;
  onRefused?: (reason: string) => void;
}

export interface RunningServer {
  port: number;
  token: string;
  /** `http://127.0.0.1:PORT/?token=TOKEN` */
  url: string;
  origin: string;
  ws: WebSocketTransport;
  hub: PushHub;
  /** Stops the server (connections closed with 1001); does not close the core. */
  close(): Promise<void>;
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The one line `npm run serve` prints once it is ready. */
export function listeningLine(server: Pick<RunningServer, 'url'>): string {
  return `Switchyard listening on ${server.url}`;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomToken();
  if (token.length < 16) throw new Error('The token must be at least 16 characters');
  let port = options.port;
  const origin = () => `http://${HOST}:${port}`;
  const host = () => `${HOST}:${port}`;

  const serveStatic = createStaticHandler(options.staticDir);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 has another Host.
    if (req.headers.host !== host()) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`Use http://${host()}/`);
      return;
    }
    serveStatic(req, res);
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  const handlers = (options.wrapHandlers ?? ((h) => h))(createHandlers(options.core));
  const hub = createPushHub(options.core.orchestrator.bus);
  const ws = attachWebSocket({
    server,
    handlers,
    hub,
    token,
    expectedOrigin: origin,
    expectedHost: host,
    onRefused: options.onRefused,
    onInternalError: options.onInternalError,
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    hub.close();
    await ws.close();
    throw e;
  }
  port = (server.address() as AddressInfo).port;

  const url = `${origin()}/?token=${encodeURIComponent(token)}`;
  return {
    port,
    token,
    url,
    origin: origin(),
    ws,
    hub,
    async close() {
      await ws.close();
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

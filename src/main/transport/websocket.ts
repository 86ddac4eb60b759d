// The contract over a WebSocket (docs/design.md §4.2): attached to an HTTP server at `/ws`. The
// upgrade is authenticated by a token (constant-time compare) and by the Origin and Host
// headers; a refused connection gets one UNAUTHORIZED message and is closed, and none of its
// frames ever reaches the handler table. Every authenticated connection receives every push.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Response } from '../../shared/contract';
import { handleText, serializeResponse, type DispatchOptions } from './dispatch';
import type { Handlers } from './handlers';
import type { PushHub } from './pushHub';

export const WS_PATH = '/ws';
/** Frames above this size close the connection with 1009 (message too big). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** A client that lets this much output pile up is dropped; it resyncs when it reconnects. */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** Close code of a refused connection (policy violation). */
export const UNAUTHORIZED_CLOSE_CODE = 1008;

export interface WebSocketTransportOptions extends DispatchOptions {
  server: Server;
  handlers: Handlers;
  hub: PushHub;
  token: string;
  /** The only Origin accepted, e.g. `http://127.0.0.1:PORT` (read at each upgrade: the port is known after listen). */
  expectedOrigin: () => string;
  /** The only Host accepted, e.g. `127.0.0.1:PORT` (DNS-rebinding defence). */
  expectedHost: () => string;
  /** Told of each refused upgrade (for tests and the log). */
  onRefused?: (reason: string) => void;
}

export interface WebSocketTransport {
  readonly clients: ReadonlySet<WebSocket>;
  /** Closes every connection (1001) and stops accepting new ones. */
  close(): Promise<void>;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Constant-time token comparison (the hashes have equal length whatever the input). */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}

/** Why an upgrade request is refused, or null when it is authorized. */
export function refusal(req: IncomingMessage, url: URL, token: string, origin: string, host: string): string | null {
  const tokens = url.searchParams.getAll('token');
  if (tokens.length === 0) return 'missing token';
  if (tokens.length !== 1 || !tokenMatches(tokens[0]!, token)) return 'wrong token';
  const gotOrigin = req.headers.origin;
  if (gotOrigin === undefined) return 'missing Origin';
  if (gotOrigin !== origin) return 'foreign Origin';
  if (req.headers.host !== host) return 'foreign Host';
  return null;
}

function abortUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
  }
  socket.destroy();
}

export function attachWebSocket(options: WebSocketTransportOptions): WebSocketTransport {
  const { server, handlers, hub, token } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false });
  const clients = new Set<WebSocket>();
  let closing = false;

  const send = (ws: WebSocket, text: string) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(text);
  };

  const removeSink = hub.add((push) => {
    if (clients.size === 0) return;
    const text = JSON.stringify(push);
    for (const ws of clients) send(ws, text);
  });

  const answer = (ws: WebSocket, response: Response) => send(ws, serializeResponse(response, options));

  const accept = (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    // Oversized frames, bad UTF-8 and protocol errors: ws closes the connection itself (1009,
    // 1007, 1002); the error only needs a listener so that it never becomes an uncaught one.
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        answer(ws, { id: null, error: { code: 'INVALID_INPUT', message: 'Binary frames are not supported: send each request as a JSON text frame' } });
        return;
      }
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      void handleText(handlers, text, options).then((response) => answer(ws, response));
    });
  };

  const refuse = (ws: WebSocket) => {
    ws.on('error', () => {});
    ws.send(JSON.stringify({ id: null, error: { code: 'UNAUTHORIZED', message: 'Unauthorized: open the exact URL Switchyard printed (with its token) from the same address' } }));
    ws.close(UNAUTHORIZED_CLOSE_CODE, 'UNAUTHORIZED');
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (closing) return abortUpgrade(socket, 503, 'Service Unavailable');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return abortUpgrade(socket, 400, 'Bad Request');
    }
    if (url.pathname !== WS_PATH) return abortUpgrade(socket, 404, 'Not Found');
    const why = refusal(req, url, token, options.expectedOrigin(), options.expectedHost());
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (why === null) accept(ws);
      else {
        options.onRefused?.(why);
        refuse(ws);
      }
    });
  };
  server.on('upgrade', onUpgrade);

  return {
    clients,
    close() {
      closing = true;
      removeSink();
      server.off('upgrade', onUpgrade);
      const closed = [...clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.close(1001, 'Switchyard is shutting down');
            // A peer that never answers the close handshake is cut off.
            setTimeout(() => ws.terminate(), 1000).unref();
          }),
      );
      return Promise.all(closed).then(
        () =>
          new Promise<void>((resolve) => {
            wss.close(() => resolve());
          }),
      );
    },
  };
}

// The renderer's one way to talk to Switchyard: `window.switchyard` (the Electron preload) when
// present, else the headless server's WebSocket at ws://<host>/ws?token=<token>.
import type { SwitchyardBridge } from '../../../shared/bridge';
import { createIpcClient } from './ipcClient';
import { createWebSocketClient } from './wsClient';
import type { SwitchyardClient } from './types';

export type { ConnectionState, SwitchyardClient } from './types';
export { ClientError } from './errors';
export { createIpcClient } from './ipcClient';
export { createWebSocketClient, type SocketLike, type WebSocketClient, type WebSocketClientOptions } from './wsClient';
export { followEvents, type FollowSource } from './follow';

const TOKEN_KEY = 'switchyard.token';

interface BrowserGlobals {
  switchyard?: SwitchyardBridge;
  location?: { protocol: string; host: string; search: string };
  sessionStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void };
}

/** The token from `?token=` (remembered for this tab, so a reload without it still works). */
function pageToken(g: BrowserGlobals): string {
  const fromUrl = g.location ? new URLSearchParams(g.location.search).get('token') : null;
  try {
    if (fromUrl) g.sessionStorage?.setItem(TOKEN_KEY, fromUrl);
    return fromUrl ?? g.sessionStorage?.getItem(TOKEN_KEY) ?? '';
  } catch {
    return fromUrl ?? '';
  }
}

export function createClient(opts?: { url?: string; token?: string }): SwitchyardClient {
  const g = globalThis as BrowserGlobals;
  if (g.switchyard && opts?.url === undefined) return createIpcClient(g.switchyard);
  const token = opts?.token ?? pageToken(g);
  let url = opts?.url;
  if (url === undefined) {
    if (!g.location) throw new Error('createClient: no window.switchyard and no location to find the server; pass {url}');
    url = `${g.location.protocol === 'https:' ? 'wss' : 'ws'}://${g.location.host}/ws`;
  }
  if (token && !/[?&]token=/.test(url)) url += `${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
  return createWebSocketClient({ url });
}

// The window's security settings and policies (docs/design.md §4.3, Electron's security checklist):
// plain data and predicates, applied by the Electron layer and checked by tests.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** Checklist items 2–4, 6, 9, 10 (isolation, sandbox, no Node, web security, no insecure content). */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    // Middle-click would otherwise open links in new windows past setWindowOpenHandler's checks.
    disableBlinkFeatures: 'Auxclick',
  };
}

export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Switchyard',
    backgroundColor: '#16181d',
    webPreferences: secureWebPreferences(preload),
  };
}

/**
 * The Content-Security-Policy sent with every response of the app's session: scripts and styles
 * only from the app itself (no inline code, no eval), no plugins, no framing, no form posts. The
 * built renderer needs nothing inline: its CSS is one file and React sets styles through the
 * CSSOM, which CSP does not govern. In development the Vite dev server's origin (and its HMR
 * WebSocket) is added to `connect-src`, and inline styles are allowed: Vite injects CSS as <style>.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const connect = ["'self'"];
  const style = ["'self'"];
  if (devServerUrl) {
    const u = new URL(devServerUrl);
    connect.push(u.origin, `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`);
    style.push("'unsafe-inline'");
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${style.join(' ')}`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self'",
  ].join('; ');
}

/**
 * Is `url` the app's own renderer? Either under the dev server's origin (development) or the
 * built renderer's index.html file. IPC from any other frame is refused; navigation to anything
 * else is denied.
 */
export function isAppUrl(url: string, app: { devServerUrl?: string; indexFileUrl: string }): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (app.devServerUrl) {
    return u.origin === new URL(app.devServerUrl).origin;
  }
  const index = new URL(app.indexFileUrl);
  return u.protocol === 'file:' && u.host === index.host && u.pathname === index.pathname;
}

/** Links the user clicks may open in the default browser: http(s) only, no credentials. */
export function isSafeExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '' && u.hostname !== '';
}

export type NavigationDecision = { allow: false; openExternal: string | null };

/**
 * What to do when the page tries to navigate away or open a window: never in the app. A link the
 * user clicked (http/https) goes to the default browser; everything else is dropped.
 */
export function navigationDecision(url: string, userInitiated: boolean): NavigationDecision {
  return { allow: false, openExternal: userInitiated && isSafeExternalUrl(url) ? url : null };
}

/** Permission requests (camera, notifications, geolocation, …): all denied. */
export function permissionDecision(_permission: string): boolean {
  return false;
}

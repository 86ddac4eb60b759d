// The BrowserWindow options and policies checked against Electron's security checklist
// (https://www.electronjs.org/docs/latest/tutorial/security).
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isAppUrl, isSafeExternalUrl, mainWindowOptions, navigationDecision, permissionDecision, secureWebPreferences } from './security';

describe('BrowserWindow options against the security checklist', () => {
  const prefs = mainWindowOptions('/app/out/preload/index.cjs').webPreferences!;

  it('isolates the context, sandboxes the renderer and gives it no Node (items 3, 4, 6)', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and insecure content, experimental features and <webview> off (items 5, 8, 9, 10, 12)', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs.disableBlinkFeatures).toContain('Auxclick');
  });

  it('loads the sandboxed CommonJS preload', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
    expect(secureWebPreferences('/x.cjs').preload).toBe('/x.cjs');
  });

  it('sets only reviewed options (a new one must be added here on purpose)', () => {
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'allowRunningInsecureContent', 'contextIsolation', 'disableBlinkFeatures', 'experimentalFeatures', 'navigateOnDragDrop',
        'nodeIntegration', 'nodeIntegrationInSubFrames', 'nodeIntegrationInWorker', 'preload', 'safeDialogs', 'sandbox',
        'spellcheck', 'webSecurity', 'webviewTag',
      ].sort(),
    );
  });
});

describe('Content-Security-Policy (item 7)', () => {
  const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

  it("allows scripts and styles from the app only: no inline, no eval, no other origin", () => {
    const d = directives(contentSecurityPolicy());
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
  });

  it('adds only the dev server (and its HMR socket) to connect-src, and inline styles, in development', () => {
    const d = directives(contentSecurityPolicy('http://localhost:5173/'));
    expect(d.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(d.get('script-src')).toEqual(["'self'"]);
    // Vite's dev server injects the CSS as <style> elements; the built app has none.
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });
});

describe('navigation, new windows and external links (items 13–15)', () => {
  it('never navigates in the app; opens only clicked http(s) links externally', () => {
    expect(navigationDecision('https://github.com/org/repo/issues/7', true)).toEqual({ allow: false, openExternal: 'https://github.com/org/repo/issues/7' });
    expect(navigationDecision('https://github.com/', false)).toEqual({ allow: false, openExternal: null });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'data:text/html,x', 'https://user:pw@evil.example/', 'not a url']) {
      expect(navigationDecision(url, true)).toEqual({ allow: false, openExternal: null });
    }
  });

  it('isSafeExternalUrl accepts http and https only', () => {
    expect(isSafeExternalUrl('http://example.com')).toBe(true);
    expect(isSafeExternalUrl('HTTPS://EXAMPLE.COM/x')).toBe(true);
    expect(isSafeExternalUrl('ftp://example.com')).toBe(false);
  });

  it('denies every permission request (item 5 of the session checks)', () => {
    for (const p of ['notifications', 'media', 'geolocation', 'openExternal', 'clipboard-read', 'fullscreen']) expect(permissionDecision(p)).toBe(false);
  });
});

describe('isAppUrl (the IPC origin check)', () => {
  const indexFile = '/opt/Switchyard/resources/app.asar/out/renderer/index.html';
  const app = { indexFileUrl: pathToFileURL(indexFile).href };

  it('accepts the built renderer file, with a hash or query, and nothing else', () => {
    expect(isAppUrl(pathToFileURL(indexFile).href, app)).toBe(true);
    expect(isAppUrl(`${pathToFileURL(indexFile).href}#/workflows/1`, app)).toBe(true);
    expect(isAppUrl('file:///tmp/evil.html', app)).toBe(false);
    expect(isAppUrl('https://example.com/', app)).toBe(false);
    expect(isAppUrl('garbage', app)).toBe(false);
  });

  it('accepts the dev server origin only in development', () => {
    const dev = { ...app, devServerUrl: 'http://localhost:5173' };
    expect(isAppUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl(pathToFileURL(indexFile).href, dev)).toBe(false);
  });
});

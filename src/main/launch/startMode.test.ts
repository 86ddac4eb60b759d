import { describe, expect, it } from 'vitest';
import { browserOpener, decideStart, parseStartArgs, type StartFacts } from './startMode';

const linux = (env: StartFacts['env'], electronBinary: boolean, fetched?: StartFacts['fetched']): StartFacts => ({ platform: 'linux', env, electronBinary, fetched });
const display = { DISPLAY: ':0' };

describe('parseStartArgs', () => {
  it('defaults to auto, opening a browser, passing the rest on', () => {
    expect(parseStartArgs(['--port', '4000', '--repo', '.'])).toEqual({ choice: 'auto', dev: false, open: true, rest: ['--port', '4000', '--repo', '.'] });
  });
  it('takes --desktop, --headless, --dev and --no-open', () => {
    expect(parseStartArgs(['--headless', '--no-open'])).toMatchObject({ choice: 'headless', open: false });
    expect(parseStartArgs(['--desktop', '--dev'])).toMatchObject({ choice: 'desktop', dev: true });
  });
  it('refuses contradictions with the usage', () => {
    expect(() => parseStartArgs(['--desktop', '--headless'])).toThrow(/exclude each other\. Usage: npm start/);
    expect(() => parseStartArgs(['--headless', '--dev'])).toThrow(/--dev runs the desktop app/);
  });
});

describe('decideStart', () => {
  it('--headless is obeyed without a reason, whatever the machine has', () => {
    expect(decideStart({ choice: 'headless' }, linux(display, true))).toEqual({ kind: 'headless', reason: null });
  });
  it('the desktop app when there is a display and the binary', () => {
    expect(decideStart({ choice: 'auto' }, linux(display, true))).toEqual({ kind: 'desktop' });
    expect(decideStart({ choice: 'desktop' }, linux({ WAYLAND_DISPLAY: 'wayland-0' }, true))).toEqual({ kind: 'desktop' });
  });
  it('no display on Linux: headless with the reason, or a refusal under --desktop (no download tried)', () => {
    expect(decideStart({ choice: 'auto' }, linux({}, true))).toEqual({ kind: 'headless', reason: expect.stringMatching(/no display.*DISPLAY and WAYLAND_DISPLAY are unset/) });
    expect(decideStart({ choice: 'desktop' }, linux({}, false))).toEqual({ kind: 'refuse', reason: expect.stringMatching(/no display/) });
  });
  it('macOS and Windows need no DISPLAY', () => {
    expect(decideStart({ choice: 'auto' }, { platform: 'darwin', env: {}, electronBinary: true })).toEqual({ kind: 'desktop' });
    expect(decideStart({ choice: 'auto' }, { platform: 'win32', env: {}, electronBinary: true })).toEqual({ kind: 'desktop' });
  });
  it('a missing binary is fetched first; the desktop app if that worked', () => {
    expect(decideStart({ choice: 'auto' }, linux(display, false))).toEqual({ kind: 'fetch-electron' });
    expect(decideStart({ choice: 'auto' }, linux(display, false, { ok: true }))).toEqual({ kind: 'desktop' });
  });
  it('a failed download: headless with the reason, or a refusal under --desktop', () => {
    const failed = { ok: false as const, reason: 'TypeError: fetch failed' };
    const auto = decideStart({ choice: 'auto' }, linux(display, false, failed));
    expect(auto).toEqual({ kind: 'headless', reason: expect.stringContaining('download failed (TypeError: fetch failed)') });
    expect(decideStart({ choice: 'desktop' }, linux(display, false, failed))).toEqual({ kind: 'refuse', reason: expect.stringContaining('npx install-electron') });
  });
});

describe('browserOpener', () => {
  const url = 'http://127.0.0.1:4000/?token=t';
  it('uses the platform opener, argv only', () => {
    expect(browserOpener('darwin', {}, url, false)).toEqual(['open', url]);
    expect(browserOpener('win32', {}, url, false)).toEqual(['rundll32', 'url.dll,FileProtocolHandler', url]);
    expect(browserOpener('linux', display, url, true)).toEqual(['xdg-open', url]);
  });
  it('opens nothing without a display or without xdg-open', () => {
    expect(browserOpener('linux', {}, url, true)).toBeNull();
    expect(browserOpener('linux', display, url, false)).toBeNull();
  });
});

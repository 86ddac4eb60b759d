// The security gate can fail: an insecure window definition gets HIGH/MEDIUM findings and a
// non-zero exit (npm test runs the same script over src/, where it must pass).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('fails on a window without context isolation, sandbox or web security', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-insecure-'));
  try {
    writeFileSync(
      join(dir, 'main.js'),
      [
        "const { BrowserWindow } = require('electron');",
        'const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });',
        "win.loadURL('http://example.com');",
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, ['scripts/security-scan.mjs', '--input', dir], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL HIGH\s+CONTEXT_ISOLATION_JS_CHECK main\.js:2/);
    expect(r.stdout).toMatch(/FAIL MEDIUM\s+WEB_SECURITY_JS_CHECK main\.js:2/);
    expect(r.stderr).toMatch(/HIGH\/MEDIUM finding\(s\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

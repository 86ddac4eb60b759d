// `npm start` where no window can open (no display, no Electron binary — this machine and CI):
// one line says why, then the headless server runs on the desktop app's data folder and serves
// the window, and Ctrl-C stops it cleanly. `--desktop` refuses to fall back.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { createRepo, waitForUrl } from './harness';

const root = resolve(import.meta.dirname, '..');

/** Processes still in a process group (Linux /proc: the 5th field of stat is the group id). */
function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) pids.push(Number(name));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

function npmStart(args: string[], configHome: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: configHome };
  for (const key of ['DISPLAY', 'WAYLAND_DISPLAY', 'SWITCHYARD_TOKEN', 'SWITCHYARD_USER_DATA_DIR']) delete env[key];
  const child = spawn('npm', ['start', '--', ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const log: string[] = [];
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, log, exited };
}

test('without a display, npm start serves the app on the desktop data folder; Ctrl-C stops it', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-start-'));
  try {
    const { repo } = createRepo(dir, 'start');
    const configHome = join(dir, 'config');
    const { child, log, exited } = npmStart(['--port', '0', '--repo', repo], configHome);
    const url = await waitForUrl(child, log);
    const said = log.join('');
    expect(said).toMatch(/switchyard: no display to open a window on \(DISPLAY and WAYLAND_DISPLAY are unset\); serving the app to a browser instead/);

    await page.goto(url);
    await expect(page.getByRole('status', { name: /Connection/ })).toHaveText('Connected');
    const sidebar = page.getByRole('navigation', { name: 'Repositories and worktrees' });
    await expect(sidebar.getByText('acme', { exact: true }).first()).toBeVisible();
    await expect(sidebar.getByRole('button', { name: /^feature-a\b/ })).toBeVisible();
    // The desktop app's folder (Electron's userData for "Switchyard"), not the headless default.
    expect(existsSync(join(configHome, 'Switchyard', 'switchyard.db'))).toBe(true);

    // What Ctrl-C sends: SIGINT to the whole foreground group (npm, the launcher, the server).
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    await expect.poll(() => groupMembers(child.pid!), { timeout: 15_000 }).toEqual([]);
    // Closed cleanly: the last connection checkpointed and removed the write-ahead log; data kept.
    const db = join(configHome, 'Switchyard', 'switchyard.db');
    expect(existsSync(db)).toBe(true);
    expect(existsSync(`${db}-wal`)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm start -- --desktop refuses to fall back: exit 1 with the reason, no server', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-start-'));
  try {
    const { child, log, exited } = npmStart(['--desktop'], join(dir, 'config'));
    child.stdout.on('data', (c: Buffer) => log.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => log.push(c.toString()));
    expect(await exited).toBe(1);
    const said = log.join('');
    expect(said).toMatch(/cannot start the desktop app \(--desktop\): no display to open a window on/);
    expect(said).not.toMatch(/Switchyard listening/);
    expect(existsSync(join(dir, 'config', 'Switchyard'))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Where Switchyard keeps its database (docs/design.md §5).
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Headless default: `$XDG_DATA_HOME/switchyard`, else `~/.local/share/switchyard`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(base, 'switchyard');
}

/** `SWITCHYARD_USER_DATA_DIR`, which must be absolute, or null. */
export function userDataOverride(env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = env.SWITCHYARD_USER_DATA_DIR;
  if (!dir) return null;
  if (!isAbsolute(dir)) throw new Error(`SWITCHYARD_USER_DATA_DIR must be an absolute path, got ${JSON.stringify(dir)}`);
  return dir;
}

/** The product name: the desktop app's folder name (and `productName` in package.json). */
export const PRODUCT_NAME = 'Switchyard';

/**
 * The desktop app's data folder — Electron's `userData` for this product — which `npm start` also
 * gives the headless server when no window can open, so both see the same repositories and
 * workflows: `SWITCHYARD_USER_DATA_DIR` (an absolute path: tests, side-by-side profiles), else
 * `%APPDATA%\Switchyard` (Windows), `~/Library/Application Support/Switchyard` (macOS),
 * `$XDG_CONFIG_HOME/Switchyard` or `~/.config/Switchyard` (Linux and others): Electron's default
 * userData (its appData folder joined with package.json's productName), which the app keeps.
 */
export function desktopDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  const override = userDataOverride(env);
  if (override) return override;
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  const config = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, PRODUCT_NAME);
}

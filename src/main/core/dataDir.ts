// Where Switchyard keeps its database (DESIGN.md §5).
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Headless default: `$XDG_DATA_HOME/switchyard`, else `~/.local/share/switchyard`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(base, 'switchyard');
}

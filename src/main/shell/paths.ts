// Where the desktop app keeps its data (DESIGN.md §5): Electron's userData, unless
// SWITCHYARD_USER_DATA_DIR (an absolute path) points elsewhere — tests and side-by-side profiles.
import { isAbsolute } from 'node:path';

export function userDataOverride(env: NodeJS.ProcessEnv): string | null {
  const dir = env.SWITCHYARD_USER_DATA_DIR;
  if (!dir) return null;
  if (!isAbsolute(dir)) throw new Error(`SWITCHYARD_USER_DATA_DIR must be an absolute path, got ${JSON.stringify(dir)}`);
  return dir;
}

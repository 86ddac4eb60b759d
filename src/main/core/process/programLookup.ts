// Does a stage's program exist? The same rules the spawn follows: a name with a slash is a path
// (relative to the worktree, which is the stage's cwd); a bare name is looked up on PATH.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path the program resolves to, or null if it cannot be run. */
export async function findProgram(program: string, cwd: string, pathVar: string | undefined = process.env.PATH): Promise<string | null> {
  if (program.includes('/') || isAbsolute(program)) {
    const full = resolve(cwd, program);
    return (await isExecutableFile(full)) ? full : null;
  }
  for (const dir of (pathVar ?? '').split(delimiter)) {
    // An empty PATH entry means the current directory, as for execvp.
    const full = join(dir ? resolve(cwd, dir) : cwd, program);
    if (await isExecutableFile(full)) return full;
  }
  return null;
}

/** Why `program` cannot run, in the words the user sees; null when it can. */
export async function missingProgramMessage(program: string, cwd: string, pathVar?: string): Promise<string | null> {
  if (await findProgram(program, cwd, pathVar)) return null;
  if (program.includes('/') || isAbsolute(program)) {
    return `\`${program}\` not found in the worktree (or not executable); create it or choose another pipeline`;
  }
  return `\`${program}\` not found on PATH; install it or choose another pipeline`;
}

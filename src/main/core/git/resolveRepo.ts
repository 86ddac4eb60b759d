// repos.add: from any folder inside a working tree to the repository's main worktree.
import { stat } from 'node:fs/promises';
import { invalidInput } from '../../../shared/errors';
import { firstLines, git } from './gitCli';
import { realpathOrNull, requireAbsolute } from './paths';
import { listWorktreeEntries } from './worktreeList';

/**
 * The real path of the main worktree of the repository that contains `input`. A path inside a
 * linked worktree resolves to its repository's main worktree, so one repository is stored once
 * however it is reached. Refuses (INVALID_INPUT) a relative or missing path, a file, a folder
 * outside any repository, a bare repository and the inside of a `.git` folder.
 */
export async function resolveRepositoryRoot(input: string): Promise<string> {
  const path = requireAbsolute(input, 'path');
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw invalidInput(`${path} does not exist`, { path });
  }
  if (!isDir) throw invalidInput(`${path} is not a folder`, { path });

  const probe = await git(path, ['rev-parse', '--is-bare-repository', '--is-inside-work-tree']);
  if (probe.code !== 0) {
    throw invalidInput(`${path} is not inside a git repository (${firstLines(probe.stderr, 1)})`, { path });
  }
  const [bare, inside] = probe.stdout.trim().split('\n');
  if (bare === 'true') throw invalidInput(`${path} is a bare repository; Switchyard needs a repository with a working tree`, { path });
  if (inside !== 'true') throw invalidInput(`${path} is inside a .git folder, not a working tree`, { path });

  const main = (await listWorktreeEntries(path))[0];
  if (!main || main.bare) {
    throw invalidInput(`${path} belongs to a bare repository; Switchyard needs a repository with a working tree`, { path });
  }
  return (await realpathOrNull(main.path)) ?? main.path;
}

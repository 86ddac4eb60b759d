// Tests only: real temporary repositories, with git isolated from the machine's configuration.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFile } from '../process/processRunner';

/** Every git run by the test process (ours and the service's) ignores user and system config. */
export function isolateGit(): void {
  Object.assign(process.env, {
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Switchyard Test',
    GIT_AUTHOR_EMAIL: 'test@switchyard.invalid',
    GIT_COMMITTER_NAME: 'Switchyard Test',
    GIT_COMMITTER_EMAIL: 'test@switchyard.invalid',
  });
}

/** Runs git in `dir`; fails the test with git's stderr if it exits non-zero. */
export async function sh(dir: string, ...args: string[]): Promise<string> {
  const r = await execFile('git', ['-C', dir, ...args]);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed in ${dir}: ${r.stderr}`);
  return r.stdout;
}

export function write(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

export interface Sandbox {
  /** A fresh real (symlink-free) temporary folder. */
  dir: string;
  /** `git init -b main` at `<dir>/<name>` with one commit of README.md. */
  repo(name?: string): Promise<string>;
  cleanup(): void;
}

export function sandbox(): Sandbox {
  isolateGit();
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'switchyard-git-')));
  return {
    dir,
    async repo(name = 'repo') {
      const path = join(dir, name);
      mkdirSync(path, { recursive: true });
      await sh(path, 'init', '-q', '-b', 'main');
      write(join(path, 'README.md'), '# test\n');
      await sh(path, 'add', 'README.md');
      await sh(path, 'commit', '-q', '-m', 'initial');
      return path;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function commitFile(dir: string, file: string, content: string, message = `edit ${file}`): Promise<string> {
  write(join(dir, file), content);
  await sh(dir, 'add', '--', file);
  await sh(dir, 'commit', '-q', '-m', message);
  return (await sh(dir, 'rev-parse', 'HEAD')).trim();
}

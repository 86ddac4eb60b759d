import { describe, expect, it } from 'vitest';
import type { SwitchyardError } from '../../../shared/errors';
import { apiBaseFor, parseRemoteUrl } from './remote';

describe("origin's URL", () => {
  it('reads the https, ssh and scp-like forms, with or without .git', () => {
    const want = { host: 'github.com', owner: 'octo-org', repo: 'hello-world' };
    for (const url of [
      'https://github.com/octo-org/hello-world.git',
      'https://github.com/octo-org/hello-world',
      'https://user:secret@github.com/octo-org/hello-world.git',
      'http://github.com/octo-org/hello-world/',
      'ssh://git@github.com/octo-org/hello-world.git',
      'ssh://git@github.com:22/octo-org/hello-world.git',
      'git@github.com:octo-org/hello-world.git',
      'github.com:octo-org/hello-world',
      'git@GitHub.com:octo-org/hello-world.git',
    ]) {
      expect(parseRemoteUrl(url), url).toEqual(want);
    }
    expect(parseRemoteUrl('git@ghe.example.com:team/app.git')).toEqual({ host: 'ghe.example.com', owner: 'team', repo: 'app' });
  });

  it('refuses paths, file URLs and anything that is not owner/repo', () => {
    for (const url of ['/srv/git/repo.git', '../origin.git', 'file:///srv/git/repo.git', 'https://github.com/octo-org', 'https://github.com/a/b/c', 'git@github.com:', '', 'https://github.com/a b/c']) {
      expect(parseRemoteUrl(url), url).toBeNull();
    }
  });

  it('sends github.com to api.github.com, and other hosts to githubApiUrl only when it is theirs', () => {
    const gh = { host: 'github.com', owner: 'o', repo: 'r' };
    const ghe = { host: 'ghe.example.com', owner: 'o', repo: 'r' };
    expect(apiBaseFor(gh, null, 'x')).toBe('https://api.github.com');
    expect(apiBaseFor(gh, 'http://127.0.0.1:9/', 'x')).toBe('http://127.0.0.1:9');
    expect(apiBaseFor(ghe, 'https://ghe.example.com/api/v3/', 'x')).toBe('https://ghe.example.com/api/v3');
    expect(apiBaseFor(ghe, 'https://api.ghe.example.com', 'x')).toBe('https://api.ghe.example.com');
    for (const [remote, setting] of [[ghe, null], [ghe, 'https://other.example.com/api/v3'], [{ host: 'gitlab.com', owner: 'o', repo: 'r' }, null]] as const) {
      const e = (() => {
        try {
          apiBaseFor(remote, setting, 'the-url');
        } catch (err) {
          return err;
        }
      })() as SwitchyardError;
      expect([e.code, e.details?.github]).toEqual(['INVALID_STATE', 'not_github']);
    }
  });
});

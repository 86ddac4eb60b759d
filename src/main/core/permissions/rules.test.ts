import { describe, expect, it } from 'vitest';
import { firstMatch, ruleFor, ruleMatches } from './rules';

const bash = (command: string) => ({ tool: 'Bash', input: { command }, cwd: '/w' });

describe('permission rules (Claude Code syntax)', () => {
  it('Bash: exact command, prefix with :*, bare tool', () => {
    expect(ruleMatches('Bash(npm test)', bash('npm test'))).toBe(true);
    expect(ruleMatches('Bash(npm test)', bash('npm test -- -u'))).toBe(false);
    expect(ruleMatches('Bash(npm test:*)', bash('npm test -- -u'))).toBe(true);
    expect(ruleMatches('Bash(npm test:*)', bash('npm test'))).toBe(true);
    expect(ruleMatches('Bash(npm test:*)', bash('npm testing'))).toBe(false);
    expect(ruleMatches('Bash(npm test:*)', bash('rm -rf / && npm test'))).toBe(false);
    expect(ruleMatches('Bash', bash('anything'))).toBe(true);
    expect(ruleMatches('Bash(ls)', { tool: 'Read', input: { file_path: 'ls' }, cwd: '/w' })).toBe(false);
  });

  it('WebFetch(domain:x) covers the host and its subdomains only', () => {
    const fetch = (url: string) => ({ tool: 'WebFetch', input: { url }, cwd: '/w' });
    expect(ruleMatches('WebFetch(domain:example.com)', fetch('https://example.com/a'))).toBe(true);
    expect(ruleMatches('WebFetch(domain:example.com)', fetch('https://docs.example.com/a'))).toBe(true);
    expect(ruleMatches('WebFetch(domain:example.com)', fetch('https://evilexample.com/'))).toBe(false);
    expect(ruleMatches('WebFetch(domain:example.com)', fetch('not a url'))).toBe(false);
  });

  it('Edit covers the file-editing tools, with a path glob relative to the worktree', () => {
    expect(ruleMatches('Edit', { tool: 'Write', input: { file_path: '/w/a.txt' }, cwd: '/w' })).toBe(true);
    expect(ruleMatches('Edit(src/**)', { tool: 'Edit', input: { file_path: '/w/src/x/y.ts' }, cwd: '/w' })).toBe(true);
    expect(ruleMatches('Edit(src/*)', { tool: 'Edit', input: { file_path: '/w/src/x/y.ts' }, cwd: '/w' })).toBe(false);
    expect(ruleMatches('Edit(**)', { tool: 'Edit', input: { file_path: '/etc/passwd' }, cwd: '/w' })).toBe(false);
    expect(ruleMatches('Edit', { tool: 'Bash', input: { command: 'x' }, cwd: '/w' })).toBe(false);
  });

  it('a malformed rule covers nothing; firstMatch returns the rule that matched', () => {
    expect(ruleMatches('Bash(unclosed', bash('unclosed'))).toBe(false);
    expect(ruleMatches('Bash(a\nb)', bash('a\nb'))).toBe(false);
    expect(firstMatch(['Bash(ls)', 'Bash(npm test:*)'], bash('npm test'))).toBe('Bash(npm test:*)');
    expect(firstMatch([], bash('npm test'))).toBeNull();
  });

  it('"allow always" remembers as narrow a rule as the request, and it matches that request', () => {
    const cases = [
      bash('python3 make.py'),
      { tool: 'WebFetch', input: { url: 'https://example.com/x' }, cwd: '/w' },
      { tool: 'Write', input: { file_path: '/w/out/a.txt' }, cwd: '/w' },
      { tool: 'mcp__x__y', input: {}, cwd: '/w' },
    ];
    expect(cases.map(ruleFor)).toEqual(['Bash(python3 make.py)', 'WebFetch(domain:example.com)', 'Write(out/a.txt)', 'mcp__x__y']);
    for (const c of cases) expect(ruleMatches(ruleFor(c)!, c)).toBe(true);
    expect(ruleMatches(ruleFor(bash('python3 make.py'))!, bash('python3 make.py --evil'))).toBe(false);
    // Parentheses stay inside the rule (the specifier runs to the last ")").
    const node = bash(`node -e "require('fs')"`);
    expect(ruleFor(node)).toBe(`Bash(node -e "require('fs')")`);
    expect(ruleMatches(ruleFor(node)!, node)).toBe(true);
    // Never a rule wider than the request: none at all where it cannot be that narrow.
    expect(ruleFor(bash('echo a\necho b'))).toBeNull();
    expect(ruleFor(bash('echo a:*'))).toBeNull();
    expect(ruleFor({ tool: 'Write', input: { file_path: '/etc/passwd' }, cwd: '/w' })).toBeNull();
  });
});

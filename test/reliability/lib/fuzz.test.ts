import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHODS, contract, type Method } from '../../../src/shared/contract';
import { SETTING_KEYS, SettingsPatchSchema } from '../../../src/shared/settings';
import { Rng } from './random';
import { AIMED_AT_NOTHING, githubCalls, hostileFrames, SETTINGS_SET_FIELDS, template, WRONG, type FuzzContext } from './fuzz';

const context: FuzzContext = { workflowId: 'w', worktreePath: '/w', repoId: 'r' };

describe('the fuzz template of settings.set', () => {
  it('fuzzes every settings key', () => {
    const [valid, fields] = template('settings.set', context);
    expect(valid).toEqual({});
    expect(Object.keys(fields).sort()).toEqual([...SETTING_KEYS].sort());
  });

  it('breaks each key only with values the server must refuse', () => {
    for (const [key, kind] of Object.entries(SETTINGS_SET_FIELDS)) {
      for (const value of WRONG[kind]) {
        expect(SettingsPatchSchema.safeParse({ [key]: value }).success, `${key} = ${JSON.stringify(value)?.slice(0, 60)}`).toBe(false);
      }
    }
  });
});

describe('the well-formed GitHub calls', () => {
  it('are valid params of their methods (so the answer is the handler\'s, not the schema\'s)', () => {
    const calls = githubCalls({ ...context, worktreePath: '/w/wt-1', completedWorkflowId: 'done' });
    expect(new Set(calls.map((x) => x.method))).toEqual(new Set(['tracker.issues', 'workflows.startFromIssue', 'workflows.ship', 'tracker.link', 'workflows.fixChecks']));
    for (const { method, params } of calls) expect(contract[method as Method].params.safeParse(params).success, `${method} ${JSON.stringify(params)}`).toBe(true);
  });
});

describe('the fuzz templates', () => {
  const keysOf = (m: (typeof METHODS)[number]) => {
    const schema = contract[m].params as unknown as { shape?: Record<string, unknown>; def?: { in?: { shape?: Record<string, unknown> } } };
    return Object.keys(schema.shape ?? schema.def?.in?.shape ?? {}).sort();
  };

  it('cover every key of every method in the contract, with valid params the schema accepts', () => {
    for (const m of METHODS) {
      const [valid, fields] = template(m, context);
      expect(Object.keys(fields).sort(), m).toEqual(keysOf(m));
      expect(contract[m].params.safeParse(valid).success, m).toBe(true);
    }
  });

  it("aim rule 13's operations at a worktree that does not exist or a repository nobody added, and send them as is", () => {
    const c: FuzzContext = { workflowId: 'w', worktreePath: process.cwd(), repoId: 'real-repo' };
    for (const m of AIMED_AT_NOTHING) {
      const [valid] = template(m, c);
      if ('worktreePath' in valid) {
        expect(isAbsolute(valid.worktreePath as string)).toBe(true);
        expect(existsSync(valid.worktreePath as string)).toBe(false);
      } else {
        expect(valid.repoId).not.toBe(c.repoId);
      }
    }
    const sent = hostileFrames(2_000, new Rng(7), c)
      .map((f) => { try { return JSON.parse(f) as { method?: string; params?: unknown }; } catch { return null; } })
      .filter((f) => f && AIMED_AT_NOTHING.has(f.method ?? '') && contract[f.method as 'worktrees.runStart'].params.safeParse(f.params).success);
    expect(new Set(sent.map((f) => f!.method))).toEqual(AIMED_AT_NOTHING);
  });
});

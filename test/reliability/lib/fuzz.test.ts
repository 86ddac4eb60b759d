import { describe, expect, it } from 'vitest';
import { SETTING_KEYS, SettingsPatchSchema } from '../../../src/shared/settings';
import { contract, type Method } from '../../../src/shared/contract';
import { githubCalls, SETTINGS_SET_FIELDS, template, WRONG, type FuzzContext } from './fuzz';

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

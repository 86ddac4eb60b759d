import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingField } from '../../../shared/settings';
import { buildPatch, draftsOf, isDefault, parseDraft, serverErrors, toDraft } from './settingsForm';

const f = settingField;

describe('settings form', () => {
  it('turns every default into form text and back unchanged', () => {
    const drafts = draftsOf(DEFAULT_SETTINGS);
    expect(drafts.maxConcurrent).toBe('5');
    expect(drafts.workflowBudgetUsd).toBe('');
    expect(drafts.worktreeRoot).toBe('');
    expect(drafts.notifications).toBe(true);
    expect(drafts.pipelinePresets).toBe('{}');
    expect(buildPatch(DEFAULT_SETTINGS, drafts)).toEqual({ ok: true, patch: {} });
  });

  it('reads integers, money, paths and JSON, and says what is wrong with the same schema as the server', () => {
    expect(parseDraft(f('maxConcurrent'), ' 7 ')).toEqual({ ok: true, value: 7 });
    expect(parseDraft(f('maxConcurrent'), '0')).toEqual({ ok: false, error: 'Enter a whole number from 1 to 100 workflows.' });
    expect(parseDraft(f('maxConcurrent'), '2.5').ok).toBe(false);
    expect(parseDraft(f('maxConcurrent'), '').ok).toBe(false);
    expect(parseDraft(f('workflowBudgetUsd'), '$1,250.5')).toEqual({ ok: true, value: 1250.5 });
    expect(parseDraft(f('workflowBudgetUsd'), '  ')).toEqual({ ok: true, value: null });
    expect(parseDraft(f('workflowBudgetUsd'), '0')).toEqual({ ok: false, error: 'Enter an amount more than $0, at most $1,000,000.00; empty: no limit.' });
    expect(parseDraft(f('workflowBudgetUsd'), 'ten').ok).toBe(false);
    expect(parseDraft(f('worktreeRoot'), ' /w ')).toEqual({ ok: true, value: '/w' });
    expect(parseDraft(f('worktreeRoot'), '')).toEqual({ ok: true, value: null });
    expect(parseDraft(f('shortcuts'), { toggleWindow: ' Alt+F9 ', openLatestApproval: '' })).toEqual({ ok: false, error: 'openLatestApproval: Too small: expected string to have >=1 characters' });
    expect(parseDraft(f('pipelinePresets'), '{')).toMatchObject({ ok: false, error: expect.stringMatching(/^Not valid JSON: /) });
    expect(parseDraft(f('pipelinePresets'), '{"p": {"stages": []}}')).toEqual({ ok: false, error: 'p.stages: a pipeline needs at least one stage; p.stages: a pipeline needs at least one stage that runs something' });
  });

  it('sends only the changed keys, and nothing while a field is wrong', () => {
    const drafts = { ...draftsOf(DEFAULT_SETTINGS), maxConcurrent: '3', workflowBudgetUsd: '2.50', notifications: true };
    expect(buildPatch(DEFAULT_SETTINGS, drafts)).toEqual({ ok: true, patch: { maxConcurrent: 3, workflowBudgetUsd: 2.5 } });
    expect(buildPatch(DEFAULT_SETTINGS, { ...drafts, retentionDays: '0', pipelinePresets: '[' })).toMatchObject({
      ok: false,
      errors: { retentionDays: expect.any(String), pipelinePresets: expect.any(String) },
    });
  });

  it('knows when a field holds its default (Reset has nothing to do)', () => {
    expect(isDefault(f('maxConcurrent'), '5')).toBe(true);
    expect(isDefault(f('maxConcurrent'), '6')).toBe(false);
    expect(isDefault(f('maxConcurrent'), 'x')).toBe(false);
    expect(isDefault(f('shortcuts'), toDraft(f('shortcuts'), DEFAULT_SETTINGS.shortcuts))).toBe(true);
  });

  it("places the server's INVALID_INPUT issues beside their fields, or the message at the top", () => {
    // The body the dispatcher answers a refused settings.set with (transport/dispatch.ts).
    const refused = {
      message: 'Invalid params for settings.set: retentionDays: Too big: expected number to be <=3650; shortcuts.toggleWindow: Too small',
      details: { issues: [
        { path: 'retentionDays', code: 'too_big', message: 'Too big: expected number to be <=3650' },
        { path: 'shortcuts.toggleWindow', code: 'too_small', message: 'Too small' },
      ] },
    };
    expect(serverErrors(refused)).toEqual({
      fields: { retentionDays: 'Too big: expected number to be <=3650', shortcuts: 'toggleWindow: Too small' },
      top: 'Not saved: Switchyard refused the values marked below.',
    });
    expect(serverErrors({ message: 'Invalid params for settings.set: (params): Unrecognized key: "x"', details: { issues: [{ path: '', code: 'unrecognized_keys', message: 'Unrecognized key' }] } }))
      .toEqual({ fields: {}, top: 'Invalid params for settings.set: (params): Unrecognized key: "x"' });
    expect(serverErrors({ message: 'Invalid settings: maxConcurrent: Too small' })).toEqual({ fields: {}, top: 'Invalid settings: maxConcurrent: Too small' });
  });
});

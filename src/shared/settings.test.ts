import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, integerBounds, SETTING_KEYS, SETTINGS_FIELDS, SettingsPatchSchema, SettingsSchema } from './settings';
import { describeRange, describeValue, formatBytes } from './settingsText';

describe('the settings field table', () => {
  it('gives every key of the schema one field, and the defaults from the fields', () => {
    expect(Object.keys(SettingsSchema.shape)).toEqual([...SETTING_KEYS]);
    expect(Object.keys(DEFAULT_SETTINGS)).toEqual([...SETTING_KEYS]);
    for (const f of SETTINGS_FIELDS) expect(DEFAULT_SETTINGS[f.key]).toEqual(f.default);
    expect(Object.isFrozen(DEFAULT_SETTINGS)).toBe(true);
  });

  it('has defaults that pass their own schema, and a label and help for each field', () => {
    expect(SettingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    for (const f of SETTINGS_FIELDS) {
      expect(f.schema.safeParse(f.default).success, f.key).toBe(true);
      expect(f.label.length, f.key).toBeGreaterThan(0);
      expect(f.help, f.key).toMatch(/\.$/);
    }
    expect(new Set(SETTINGS_FIELDS.map((f) => f.label)).size).toBe(SETTINGS_FIELDS.length);
  });

  it('keeps the wire rules: strict objects, partial patches, the same ranges', () => {
    expect(SettingsPatchSchema.safeParse({}).success).toBe(true);
    expect(SettingsPatchSchema.safeParse({ maxConcurrent: 7 }).success).toBe(true);
    expect(SettingsPatchSchema.safeParse({ maxConcurrent: 7, extra: 1 }).success).toBe(false);
    expect(SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, extra: 1 }).success).toBe(false);
    expect(SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, maxConcurrent: undefined }).success).toBe(false);
    const refused = [
      { maxConcurrent: 0 }, { maxConcurrent: 101 }, { maxConcurrent: 1.5 },
      { killGraceMs: -1 }, { killGraceMs: 600_001 },
      { outputBudgetBytes: 64 * 1024 - 1 }, { outputBudgetBytes: 1024 ** 3 + 1 },
      { retentionDays: 0 }, { retentionDays: 3651 },
      { worktreeRoot: '' }, { worktreeRoot: 'x'.repeat(4097) },
      { workflowBudgetUsd: 0 }, { workflowBudgetUsd: 1_000_001 },
      { notifications: 'yes' },
      { shortcuts: { toggleWindow: 'A' } }, { shortcuts: { toggleWindow: 'A', openLatestApproval: 'B', other: 'C' } }, { shortcuts: { toggleWindow: '', openLatestApproval: 'B' } },
      { pipelinePresets: { 'bad name': { stages: [{ name: 's', agent: 'a', run: ['x'] }] } } }, { pipelinePresets: { ok: { stages: [] } } },
      { githubApiUrl: '' }, { githubApiUrl: 'github.example.com' }, { githubApiUrl: 'ftp://github.example.com/api' }, { githubApiUrl: `https://x.example/${'a'.repeat(2048)}` },
    ];
    for (const patch of refused) expect(SettingsPatchSchema.safeParse(patch).success, JSON.stringify(patch).slice(0, 80)).toBe(false);
    const accepted = [
      { maxConcurrent: 1 }, { maxConcurrent: 100 }, { killGraceMs: 0 }, { killGraceMs: 600_000 },
      { outputBudgetBytes: 64 * 1024 }, { outputBudgetBytes: 1024 ** 3 }, { retentionDays: 3650 },
      { worktreeRoot: null }, { worktreeRoot: '/w' }, { workflowBudgetUsd: null }, { workflowBudgetUsd: 0.01 }, { workflowBudgetUsd: 1_000_000 },
      { shortcuts: { toggleWindow: 'Alt+F9', openLatestApproval: 'Alt+F10' } },
      { pipelinePresets: { 'my.preset-1': { stages: [{ name: 's', agent: 'a', run: ['x'] }] } } },
      { githubApiUrl: null }, { githubApiUrl: 'https://github.example.com/api/v3' }, { githubApiUrl: 'http://127.0.0.1:8080' },
    ];
    for (const patch of accepted) expect(SettingsPatchSchema.safeParse(patch).success, JSON.stringify(patch)).toBe(true);
  });

  it('reads integer bounds from the schema', () => {
    const bounds = Object.fromEntries(SETTINGS_FIELDS.filter((f) => f.editor.kind === 'integer').map((f) => [f.key, integerBounds(f)]));
    expect(bounds).toEqual({
      maxConcurrent: { min: 1, max: 100 },
      killGraceMs: { min: 0, max: 600_000 },
      permissionTimeoutSeconds: { min: 1, max: 7 * 24 * 3600 },
      outputBudgetBytes: { min: 65_536, max: 1_073_741_824 },
      retentionDays: { min: 1, max: 3650 },
      portBase: { min: 1024, max: 65_000 },
    });
  });

  it('says each range and value in words', () => {
    const text = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f.key, [describeRange(f), describeValue(f, f.default)]]));
    expect(text.maxConcurrent).toEqual(['1 to 100 workflows', '5 workflows']);
    expect(text.workflowBudgetUsd).toEqual(['more than $0, at most $1,000,000.00; empty: no limit', 'no limit']);
    expect(text.outputBudgetBytes).toEqual(['64 KiB to 1 GiB', '8 MiB']);
    expect(text.worktreeRoot).toEqual(['a folder path (up to 4,096 characters); empty: beside the repository', 'beside the repository']);
    expect(text.notifications).toEqual(['on or off', 'on']);
    expect(text.pipelinePresets![1]).toBe('none');
    expect(text.githubApiUrl).toEqual(['an http or https URL (up to 2,048 characters); empty: api.github.com', 'api.github.com']);
    expect(formatBytes(1000)).toBe('1,000 bytes');
  });
});

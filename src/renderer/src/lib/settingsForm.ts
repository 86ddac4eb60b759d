// The settings screen's logic, apart from React: each field's value as form text and back,
// checked with the field's own shared schema (the one `settings.set` uses), the patch of
// changed keys, and the server's INVALID_INPUT issues placed beside their fields.
import type { z } from 'zod';
import { integerBounds, SETTINGS_FIELDS, SettingsPatchSchema, type SettingField, type SettingKey, type Settings, type SettingsPatch } from '../../../shared/settings';
import { describeRange } from '../../../shared/settingsText';

/** What a control holds: text, a checkbox, or one text per accelerator. */
export type Draft = string | boolean | Record<string, string>;
export type Drafts = Record<SettingKey, Draft>;
export type FieldErrors = Partial<Record<SettingKey, string>>;

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

export function toDraft(f: SettingField, value: unknown): Draft {
  switch (f.editor.kind) {
    case 'integer':
      return String(value);
    case 'money':
    case 'path':
    case 'url':
      return value === null ? '' : String(value);
    case 'boolean':
      return value as boolean;
    case 'accelerators':
      return { ...(value as Record<string, string>) };
    case 'pipelines':
      return JSON.stringify(value, null, 2);
  }
}

export function draftsOf(settings: Settings): Drafts {
  return Object.fromEntries(SETTINGS_FIELDS.map((f) => [f.key, toDraft(f, settings[f.key])])) as Drafts;
}

const where = (path: readonly PropertyKey[]): string => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');

function issuesText(issues: readonly z.core.$ZodIssue[]): string {
  return issues.slice(0, 3).map((i) => (i.path.length ? `${where(i.path)}: ${i.message}` : i.message)).join('; ');
}

/** The value a control's draft stands for, or why it stands for none. */
export function parseDraft(f: SettingField, draft: Draft): Parsed {
  let value: unknown;
  switch (f.editor.kind) {
    case 'integer': {
      const text = (draft as string).trim();
      const n = Number(text);
      const { min, max } = integerBounds(f);
      if (text === '' || !Number.isInteger(n) || n < min || n > max) return { ok: false, error: `Enter a whole number from ${describeRange(f)}.` };
      value = n;
      break;
    }
    case 'money': {
      const text = (draft as string).trim().replace(/^\$/, '').replace(/,/g, '');
      if (text === '') {
        value = null;
        break;
      }
      value = Number(text);
      if (!Number.isFinite(value)) return { ok: false, error: `Enter an amount in US dollars, or leave it empty for ${f.editor.empty.toLowerCase()}.` };
      if (!f.schema.safeParse(value).success) return { ok: false, error: `Enter an amount ${describeRange(f)}.` };
      break;
    }
    case 'path':
    case 'url': {
      const text = (draft as string).trim();
      value = text === '' ? null : text;
      break;
    }
    case 'boolean':
      value = draft;
      break;
    case 'accelerators':
      value = Object.fromEntries(Object.entries(draft as Record<string, string>).map(([k, v]) => [k, v.trim()]));
      break;
    case 'pipelines':
      try {
        value = JSON.parse(draft as string);
      } catch (e) {
        return { ok: false, error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
      }
      break;
  }
  const r = f.schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: issuesText(r.error.issues) };
}

/** Deep equality of plain JSON data (what settings are). */
export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The patch of the keys whose value differs from `current`, checked with the same schema as
 * `settings.set`; or the error of each field that does not parse.
 */
export function buildPatch(current: Settings, drafts: Drafts): { ok: true; patch: SettingsPatch } | { ok: false; errors: FieldErrors } {
  const patch: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const f of SETTINGS_FIELDS) {
    const parsed = parseDraft(f, drafts[f.key]);
    if (!parsed.ok) errors[f.key] = parsed.error;
    else if (!sameValue(parsed.value, current[f.key])) patch[f.key] = parsed.value;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const checked = SettingsPatchSchema.safeParse(patch);
  if (!checked.success) return { ok: false, errors: { [String(checked.error.issues[0]?.path[0])]: issuesText(checked.error.issues) } as FieldErrors };
  return { ok: true, patch: checked.data };
}

/** Whether a field's draft, as it stands, is its default value. */
export function isDefault(f: SettingField, draft: Draft): boolean {
  const parsed = parseDraft(f, draft);
  return parsed.ok && sameValue(parsed.value, f.default);
}

interface IssueDetail {
  path?: unknown;
  message?: unknown;
}

/**
 * A refused `settings.set` as the screen shows it: each issue the server names by a setting's
 * path goes beside that field; the message goes at the top when no field is named.
 */
export function serverErrors(error: { message: string; details?: Record<string, unknown> }): { fields: FieldErrors; top: string } {
  const fields: FieldErrors = {};
  const issues = Array.isArray(error.details?.issues) ? (error.details.issues as IssueDetail[]) : [];
  const keys = new Set<string>(SETTINGS_FIELDS.map((f) => f.key));
  for (const issue of issues) {
    if (typeof issue.path !== 'string' || typeof issue.message !== 'string') continue;
    const [key, ...rest] = issue.path.split('.');
    if (!key || !keys.has(key)) continue;
    const text = rest.length ? `${rest.join('.')}: ${issue.message}` : issue.message;
    const k = key as SettingKey;
    fields[k] = fields[k] ? `${fields[k]}; ${text}` : text;
  }
  const placed = Object.keys(fields).length > 0;
  return { fields, top: placed ? `Not saved: Switchyard refused the ${issues.length === 1 ? 'value' : 'values'} marked below.` : error.message };
}

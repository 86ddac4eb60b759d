// Settings in words: the range and the value of each field as the settings screen and
// docs/settings.md write them, from the field table (settings.ts). Pure: no Node, no DOM.
import type { z } from 'zod';
import { formatCost } from './format';
import { integerBounds, type SettingField } from './settings';

const count = (n: number): string => n.toLocaleString('en-US');

/** `8 MiB`, `64 KiB`, `1 GiB`; exact byte counts otherwise. */
export function formatBytes(n: number): string {
  for (const [size, unit] of [[1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB']] as const) {
    if (n >= size && n % size === 0) return `${count(n / size)} ${unit}`;
  }
  return `${count(n)} bytes`;
}

function withUnit(n: number, unit: string): string {
  return unit === 'bytes' ? formatBytes(n) : `${count(n)} ${unit}`;
}

/** The largest budget the money schema accepts (its lower bound is "more than 0"). */
function moneyMax(f: SettingField): number {
  const inner = (f.schema as z.ZodNullable<z.ZodNumber>).unwrap();
  return inner.maxValue ?? Number.MAX_SAFE_INTEGER;
}

/** What values a setting accepts, e.g. "1 to 100 workflows". */
export function describeRange(f: SettingField): string {
  const e = f.editor;
  switch (e.kind) {
    case 'integer': {
      const { min, max } = integerBounds(f);
      return e.unit === 'bytes' ? `${formatBytes(min)} to ${formatBytes(max)}` : `${count(min)} to ${count(max)} ${e.unit}`;
    }
    case 'money':
      return `more than $0, at most ${formatCost(moneyMax(f))}; empty: ${e.empty.toLowerCase()}`;
    case 'path': {
      const max = (f.schema as z.ZodNullable<z.ZodString>).unwrap().maxLength ?? Infinity;
      return `a folder path (up to ${count(max)} characters); empty: ${e.empty.toLowerCase()}`;
    }
    case 'boolean':
      return 'on or off';
    case 'accelerators': {
      const first = Object.values((f.schema as z.ZodObject<Record<string, z.ZodString>>).shape)[0]!;
      return `one Electron accelerator of ${first.minLength} to ${first.maxLength} characters per action`;
    }
    case 'pipelines':
      return 'a JSON object of pipeline definitions by name (names: letters, digits, ".", "_", "-"; up to 64 characters)';
    case 'url': {
      const max = (f.schema as z.ZodNullable<z.ZodString>).unwrap().maxLength ?? Infinity;
      return `an http or https URL (up to ${count(max)} characters); empty: ${e.empty}`;
    }
  }
}

/** A value of a setting in words, e.g. "5 workflows", "no limit", "8 MiB". */
export function describeValue(f: SettingField, value: unknown): string {
  const e = f.editor;
  switch (e.kind) {
    case 'integer':
      return withUnit(value as number, e.unit);
    case 'money':
      return value === null ? e.empty.toLowerCase() : formatCost(value as number);
    case 'path':
      return value === null ? e.empty.toLowerCase() : String(value);
    case 'url':
      return value === null ? e.empty : String(value);
    case 'boolean':
      return value ? 'on' : 'off';
    case 'accelerators':
      return Object.entries(e.labels).map(([k, label]) => `${label}: ${(value as Record<string, string>)[k]}`).join('; ');
    case 'pipelines': {
      const names = Object.keys(value as object);
      return names.length === 0 ? 'none' : names.join(', ');
    }
  }
}

// docs/settings.md cannot drift from the field table: its reference table is generated here.
// After changing a setting, run `SWITCHYARD_WRITE_DOCS=1 npx vitest run test/docs/settings.test.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_FIELDS } from '../../src/shared/settings';
import { describeRange, describeValue } from '../../src/shared/settingsText';

const DOC = resolve(import.meta.dirname, '../../docs/settings.md');
const BEGIN = '<!-- settings table: generated from src/shared/settings.ts by test/docs/settings.test.ts -->';
const END = '<!-- end of the settings table -->';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, ' ');

function table(): string {
  const rows = SETTINGS_FIELDS.map((f) => `| ${cell(f.label)} | \`${f.key}\` | ${cell(describeValue(f, f.default))} | ${cell(describeRange(f))} | ${cell(f.help)} |`);
  return [BEGIN, '| Setting | Key | Default | Accepts | What it does |', '|---|---|---|---|---|', ...rows, END].join('\n');
}

describe('docs/settings.md', () => {
  it('lists every setting with its default, range and meaning, as the field table says', () => {
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start, 'the table markers in docs/settings.md').toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const current = doc.slice(start, end + END.length);
    if (current !== table() && process.env.SWITCHYARD_WRITE_DOCS === '1') writeFileSync(DOC, doc.replace(current, table()));
    else expect(current).toBe(table());
  });
});

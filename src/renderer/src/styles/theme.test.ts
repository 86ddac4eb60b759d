// WCAG AA contrast of the theme, in both themes: every text colour on every surface the
// stylesheets paint (plain backgrounds and every tinted `background: color-mix(…)`), each status
// colour on its own badge tint, and the non-text parts (control borders, focus ring) at 3:1.
// The colours and the tints are read from the stylesheets themselves, so a new tint or a changed
// colour is checked without touching this test.
// Vitest runs in Node and hands stylesheets to tests as empty modules, so they are read as files.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrast, mix, parseHex, type Rgb } from '../lib/contrast';

const here = (name: string) => new URL(name, import.meta.url);
const theme = readFileSync(here('theme.css'), 'utf8');
const ALL_CSS = readdirSync(here('.'))
  .filter((f) => f.endsWith('.css'))
  .map((f) => readFileSync(here(f), 'utf8'))
  .join('\n');

function variables(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!]));
}

const darkAt = theme.indexOf('@media (prefers-color-scheme: dark)');
const LIGHT = variables(theme.slice(0, darkAt));
const THEMES = { light: LIGHT, dark: { ...LIGHT, ...variables(theme.slice(darkAt, theme.indexOf('\n}\n', darkAt))) } };

/** Text colours: each must read on every surface. */
const TEXT = ['fg', 'fg-muted', 'good', 'bad', 'warn', 'file', 'diff-hunk', 's-queued', 's-pending', 's-running', 's-blocked', 's-completed', 's-failed', 's-cancelled'];
const STATUS = TEXT.filter((t) => t.startsWith('s-'));
/** Plain surfaces text sits on. */
const BASES = ['bg', 'bg-panel', 'bg-sunken', 'bg-hover', 'bg-active'];

/** Every `background: color-mix(in srgb, var(--a) N%, var(--b) | transparent)` of the stylesheets (badges apart). */
const TINTS = [...ALL_CSS.matchAll(/background:\s*color-mix\(in srgb, var\(--([\w-]+)\) (\d+)%, (?:var\(--([\w-]+)\)|transparent)\)/g)]
  .map((m) => ({ color: m[1]!, share: Number(m[2]) / 100, over: m[3] ?? null }))
  .filter((t) => t.color !== 'badge');
const BADGE_SHARE = Number(/\.badge \{[^}]*background: color-mix\(in srgb, var\(--badge\) (\d+)%/.exec(theme)?.[1]) / 100;

describe.each(Object.entries(THEMES))('the %s theme', (_name, vars) => {
  const c = (name: string): Rgb => {
    const value = vars[name];
    if (!value) throw new Error(`--${name} is not defined as #rrggbb`);
    return parseHex(value);
  };
  const surfaces = (): Array<[string, Rgb]> => [
    ...BASES.map((b): [string, Rgb] => [b, c(b)]),
    ...TINTS.flatMap((t) => (t.over ? [t.over] : BASES).map((b): [string, Rgb] => [`${t.color} ${t.share * 100}% over ${b}`, mix(c(t.color), t.share, c(b))])),
  ];

  it('finds the tinted surfaces and the badge tint in the stylesheets', () => {
    expect(TINTS.length).toBeGreaterThan(5);
    expect(BADGE_SHARE).toBeGreaterThan(0);
  });

  it.each(TEXT)('--%s reads at 4.5:1 on every surface', (text) => {
    const low = surfaces()
      .map(([name, bg]) => [name, contrast(c(text), bg)] as const)
      .filter(([, ratio]) => ratio < 4.5)
      .map(([name, ratio]) => `${name}: ${ratio.toFixed(2)}`);
    expect(low).toEqual([]);
  });

  it.each(STATUS)('the %s badge reads at 4.5:1 on its own tint over every surface', (status) => {
    for (const base of BASES) {
      const tint = mix(c(status), BADGE_SHARE, c(base));
      expect(contrast(c(status), tint), `${status} badge over ${base}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('primary buttons read at 4.5:1', () => {
    expect(contrast(c('accent-fg'), c('accent'))).toBeGreaterThanOrEqual(4.5);
  });

  it('control borders and the focus ring reach 3:1 on every plain surface', () => {
    for (const base of BASES) {
      expect(contrast(c('control-border'), c(base)), `control border on ${base}`).toBeGreaterThanOrEqual(3);
      expect(contrast(c('focus'), c(base)), `focus on ${base}`).toBeGreaterThanOrEqual(3);
    }
  });
});

// The documents and the code point at each other: README and docs link files that exist,
// docs/design.md names modules and tests that exist, and every "rule N" / "§N" the code cites
// is a heading of docs/design.md. A move or a renumbering that forgets one side fails here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');
const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const design = read('docs/design.md');

/** `a.{x,y}.ts` -> `a.x.ts`, `a.y.ts` (the docs write families of tests that way). */
function expand(path: string): string[] {
  const m = /^(.*?)\{([^{}]*)\}(.*)$/.exec(path);
  if (!m) return [path];
  return m[2]!.split(',').flatMap((part) => expand(`${m[1]}${part}${m[3]}`));
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const p = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!['node_modules', 'recorded', 'clis', 'results'].includes(entry.name)) out.push(...sourceFiles(p));
    } else if (/\.(ts|tsx|mjs|js|css|html)$/.test(entry.name)) out.push(p);
  }
  return out;
}

describe('documentation references', () => {
  it.each(docs)('every relative link of %s resolves', (doc) => {
    const text = read(doc);
    const broken: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s#]+)(#[^)\s]*)?\)|<img src="([^"]+)"/g)) {
      const target = m[1] ?? m[3]!;
      if (/^[a-z]+:/.test(target)) continue; // http:, mailto:
      if (!existsSync(join(root, dirname(doc), target))) broken.push(target);
    }
    expect(broken).toEqual([]);
  });

  it('every path docs/design.md names exists', () => {
    const missing: string[] = [];
    for (const m of design.matchAll(/`((?:src|test|e2e|e2e-electron|bench|scripts|docs)\/[^`\s]*)`/g)) {
      if (m[1]!.includes('*')) continue; // a family of files, not a path
      for (const p of expand(m[1]!)) if (!existsSync(join(root, p))) missing.push(p);
    }
    expect(missing).toEqual([]);
  });

  it("every rule and section the code cites is a heading of docs/design.md", () => {
    const rules = new Set([...design.matchAll(/^### Rule (\d+):/gm)].map((m) => Number(m[1])));
    const sections = new Set([...design.matchAll(/^#{2,3} (\d+(?:\.\d+)?)[. ]/gm)].map((m) => m[1]!));
    expect(rules.size).toBeGreaterThanOrEqual(10);
    const wrong: string[] = [];
    for (const file of ['src', 'test', 'e2e', 'bench', 'scripts'].flatMap(sourceFiles)) {
      const text = read(file);
      for (const m of text.matchAll(/\brules? (\d+)\b/g)) if (!rules.has(Number(m[1]))) wrong.push(`${file}: rule ${m[1]}`);
      for (const m of text.matchAll(/(?:design\.md|DESIGN(?:\.md)?) ?§(\d+(?:\.\d+)?)/g)) {
        if (!sections.has(m[1]!)) wrong.push(`${file}: §${m[1]}`);
      }
      // The design lives in the repository; nothing points outside it any more.
      if (/\bDESIGN(\.md)?\b/.test(text) && !file.endsWith('references.test.ts')) wrong.push(`${relative(root, join(root, file))}: cites DESIGN instead of docs/design.md`);
    }
    expect(wrong).toEqual([]);
  });
});

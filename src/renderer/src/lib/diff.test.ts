import { describe, expect, it } from 'vitest';
import { lineKind, splitPatch } from './diff';

const patch = [
  'diff --git a/src/a.ts b/src/a.ts',
  'index 1..2 100644',
  '--- a/src/a.ts',
  '+++ b/src/a.ts',
  '@@ -1,2 +1,2 @@',
  ' keep',
  '-old',
  '+new',
  'diff --git a/README.md b/README.md',
  'new file mode 100644',
  '+hello',
  '',
].join('\n');

describe('splitPatch', () => {
  it('gives one patch per file with its own lines', () => {
    const files = splitPatch(patch);
    expect(files.map((f) => f.path)).toEqual(['src/a.ts', 'README.md']);
    expect(files[0]!.lines).toHaveLength(8);
    expect(files[1]!.lines).toEqual(['diff --git a/README.md b/README.md', 'new file mode 100644', '+hello']);
  });
  it('returns nothing for an empty patch', () => {
    expect(splitPatch('')).toEqual([]);
  });
  it('classifies lines', () => {
    expect(['+++ b/x', '@@ -1 +1 @@', '+a', '-b', ' c'].map(lineKind)).toEqual(['meta', 'hunk', 'add', 'del', 'context']);
  });
});

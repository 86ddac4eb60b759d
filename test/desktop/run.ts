// `npm run test:shell`: the desktop shell's wiring test (issue #16) — builds out/ if it is missing
// or older than src/, then runs test/desktop/*.spec.ts with node:test in this process (the
// Electron stand-in is a module hook of this process), prints each test, and ends with
// `N passed, N failed`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { ensureBuilt } from './harness';

const here = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.spec.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .map((f) => join(here, f));

ensureBuilt();

let passed = 0;
let failed = 0;
const stream = run({ files, isolation: 'none', concurrency: false, timeout: 5 * 60_000 });
stream.on('test:pass', (t) => {
  if (t.details.type !== 'suite') passed += 1;
});
stream.on('test:fail', (t) => {
  if (t.details.type !== 'suite') failed += 1;
});
stream.compose(spec).pipe(process.stdout);
stream.once('end', () => {
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
});

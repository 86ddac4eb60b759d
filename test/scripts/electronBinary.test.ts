// `npm start` and `npm run test:electron` ask whether Electron's binary is there the way
// node_modules/electron/index.js does, before anything would start its download.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { electronBinaryPresent } from '../../scripts/electron-binary.mjs';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function project(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'switchyard-electron-bin-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

it('absent before the download (no path.txt), present once path.txt names a file in dist/', () => {
  expect(electronBinaryPresent(project({ 'node_modules/electron/package.json': '{}' }), {})).toBe(false);
  rmSync(root, { recursive: true, force: true });
  expect(electronBinaryPresent(project({ 'node_modules/electron/path.txt': 'electron', 'node_modules/electron/dist/electron': '' }), {})).toBe(true);
});

it('absent when path.txt names a file that is not there (an interrupted download)', () => {
  expect(electronBinaryPresent(project({ 'node_modules/electron/path.txt': 'electron' }), {})).toBe(false);
});

it('honours ELECTRON_OVERRIDE_DIST_PATH, as Electron does', () => {
  const r = project({ 'node_modules/electron/path.txt': 'electron', 'custom/electron': '' });
  expect(electronBinaryPresent(r, { ELECTRON_OVERRIDE_DIST_PATH: join(r, 'custom') })).toBe(true);
});

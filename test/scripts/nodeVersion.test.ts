// Node older than 22.12 gets one clear line instead of better-sqlite3's segfault.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../scripts/node-version.mjs';

const root = resolve(import.meta.dirname, '../..');

describe('nodeVersionProblem', () => {
  it('accepts 22.12 and newer', () => {
    for (const v of ['v22.12.0', 'v22.20.1', 'v24.21.0', 'v26.0.0']) expect(nodeVersionProblem(v)).toBeNull();
  });
  it('explains what to do on older ones', () => {
    for (const v of ['v20.20.2', 'v22.11.0', 'v18.0.0']) {
      expect(nodeVersionProblem(v)).toMatch(new RegExp(`needs Node.js 22.12 or newer .*this is Node ${v.replace(/\./g, '\\.')}.*npm start`));
    }
  });
});

// The system Node of this machine kind is 20: the entry scripts must refuse it in one line.
const systemNode = ['/usr/local/bin/node', '/usr/bin/node'].find((p) => spawnSync(p, ['--version'], { encoding: 'utf8' }).stdout?.startsWith('v20.'));
describe.runIf(systemNode)('the entry scripts on the system Node 20', () => {
  for (const script of ['start.mjs', 'serve.mjs']) {
    it(`scripts/${script} exits 1 with the reason`, () => {
      const r = spawnSync(systemNode!, [join(root, 'scripts', script)], { cwd: root, encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toMatch(/^switchyard: Switchyard needs Node\.js 22\.12 or newer \(24 LTS recommended\); this is Node v20\./);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});

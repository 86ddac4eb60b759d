// The one /proc scanner, on a fake /proc: what stopping a stage sees (scanProcesses) and what
// the reaper kills after a crash (markedProcesses).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markedProcesses, scanProcesses, WORKFLOW_MARKER_ENV } from './procScan';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'switchyard-proc-'));
  mkdirSync(join(root, 'self'));
  writeFileSync(join(root, 'self', 'stat'), '1 (self) S 0 1 1');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A fake /proc/<pid>: `stat` with its state and process group, `environ` NUL-separated. */
function proc(pid: number, state: string, pgrp: number, env: string[] = []): void {
  mkdirSync(join(root, String(pid)));
  writeFileSync(join(root, String(pid), 'stat'), `${pid} (a (weird) name) ${state} 1 ${pgrp} ${pgrp} 0`);
  writeFileSync(join(root, String(pid), 'environ'), env.join('\0'));
}

describe('scanProcesses', () => {
  it("finds the group's live processes and escaped ones carrying the workflow's marker", async () => {
    proc(100, 'S', 100);
    proc(101, 'R', 100);
    proc(102, 'Z', 100); // a zombie is not alive
    proc(200, 'S', 200, [`${WORKFLOW_MARKER_ENV}=wf-1`, 'PATH=/bin']); // left the group (setsid)
    proc(201, 'S', 201, [`${WORKFLOW_MARKER_ENV}=wf-2`]); // another workflow's
    proc(300, 'S', 300);
    const scan = await scanProcesses(100, 'wf-1', root);
    expect(scan!.inGroup.sort()).toEqual([100, 101]);
    expect(scan!.escaped).toEqual([200]);
  });

  it('yields to the event loop between slices of processes, so one scan never holds it long', async () => {
    for (let pid = 1000; pid < 1200; pid++) proc(pid, 'S', pid === 1199 ? 42 : pid);
    let turns = 0;
    let done = false;
    const tick = () => {
      if (done) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const scan = await scanProcesses(42, 'wf', root);
    done = true;
    expect(scan!.inGroup).toEqual([1199]);
    // 201 entries (200 processes and self) in slices of 32: the loop turned between them.
    expect(turns).toBeGreaterThanOrEqual(5);
  });
});

describe('markedProcesses', () => {
  it("finds the live processes carrying the workflow's marker, whatever their group (the reaper's view)", () => {
    proc(100, 'S', 100, [`${WORKFLOW_MARKER_ENV}=wf-1`]);
    proc(101, 'S', 100); // in the recorded group, unmarked: after a crash the id may be reused
    proc(102, 'Z', 100, [`${WORKFLOW_MARKER_ENV}=wf-1`]); // exited
    proc(200, 'S', 200, ['PATH=/bin', `${WORKFLOW_MARKER_ENV}=wf-1`]); // left the group
    proc(201, 'S', 201, [`${WORKFLOW_MARKER_ENV}=wf-2`]);
    expect(markedProcesses('wf-1', root)!.sort()).toEqual([100, 200]);
  });

  it('says there is no /proc where it is not a procfs', () => {
    const bare = mkdtempSync(join(tmpdir(), 'switchyard-noproc-'));
    try {
      expect(markedProcesses('wf-1', bare)).toBeNull();
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});

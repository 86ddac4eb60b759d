// A person's decision is on disk before Switchyard answers it; an agent's output is not waited
// for (docs/reliability.md, "Power loss"). Observed from outside SQLite: strace, attached to this
// very process, records the fdatasync of the WAL between two marker syscalls around each call.
// Only the main thread's syscalls count (the checkpoint worker syncs on its own thread, and the
// decision's commit is synchronous on the main one). CI installs strace (.ci/run).
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from './testing/harness';
import { waitForEvent } from './testing/pipelineFixtures';
import { StaticPipelines } from './testing/staticPipelines';

const MARK = `/switchyard-durability-mark-${process.pid}`;
/** A syscall strace shows with its argument: `access("<MARK>/name", F_OK)`. */
const mark = (name: string) => existsSync(`${MARK}/${name}`);

interface Trace {
  /** The main thread's syncs (`fdatasync(12</…/switchyard.db-wal>)`) between `<name>-before` and `<name>-after`. */
  syncsDuring(name: string): string[];
}

/** Attaches strace to this process (all threads); resolves once it sees this thread's syscalls. */
async function traceThisProcess(): Promise<{ stop: () => Promise<Trace> }> {
  const probe = spawnSync('strace', ['-V'], { encoding: 'utf8' });
  if (probe.error) throw new Error(`strace is required for this test (apt-get install strace): ${probe.error.message}`);
  const child: ChildProcessByStdio<null, null, Readable> = spawn(
    'strace',
    ['-f', '-y', '-e', 'trace=fsync,fdatasync,access,faccessat,faccessat2', '-p', String(process.pid)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let out = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // Attached once strace has printed one of our own marker calls.
  for (;;) {
    mark('ready');
    if (out.includes(`${MARK}/ready`)) break;
    const code = await Promise.race([exited, new Promise<'wait'>((r) => setTimeout(() => r('wait'), 10))]);
    if (code !== 'wait') throw new Error(`strace ended (${code}) before attaching: ${out}`);
  }
  return {
    async stop() {
      mark('end');
      child.kill('SIGINT'); // detaches from the traced process
      await exited;
      const main = out
        .split('\n')
        .map((line) => /^(?:\[pid\s+(\d+)\] )?(.*)$/.exec(line)!)
        .filter((m) => m[1] === undefined || Number(m[1]) === process.pid)
        .map((m) => m[2]!);
      return {
        syncsDuring(name) {
          const from = main.findIndex((l) => l.includes(`"${MARK}/${name}-before"`));
          const to = main.findIndex((l) => l.includes(`"${MARK}/${name}-after"`));
          if (from < 0 || to < from) throw new Error(`markers of ${name} not traced in order`);
          return main.slice(from + 1, to).filter((l) => /^f(data)?sync\(/.test(l));
        },
      };
    },
  };
}

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

describe('durable decisions (power loss)', () => {
  it('syncs the WAL before approve, cancel and a settings change return, and not for an agent event', async () => {
    h = makeHarness();
    const a = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    const b = await h.orch.start({ worktreePath: h.worktree('b'), issueId: 'B' });
    await h.waitFor(a.id, 'blocked');
    await h.waitFor(b.id, 'blocked');
    const trace = await traceThisProcess();

    // Both workflows wait at their gate: nothing else commits while the emit is awaited. (A NORMAL
    // commit that restarts a fully checkpointed WAL syncs its header; the checkpoint worker is
    // nudged only after 250 commits, so not here.)
    mark('emit-before');
    await h.orch.emit(a.id, { agent: 'developer', type: 'agent_output', message: 'a line' });
    mark('emit-after');

    mark('settings-before');
    h.orch.updateSettings({ maxConcurrent: 4 });
    mark('settings-after');

    mark('approve-before');
    h.orch.approve(a.id);
    mark('approve-after');

    mark('cancel-before');
    const cancelled = h.orch.cancel(b.id, 'no longer needed');
    mark('cancel-after');
    await cancelled;

    const t = await trace.stop();
    // (A call strace shows `<unfinished ...>` has started; this thread's next syscall, the marker
    // after it, cannot begin before it returned.)
    const wal = /^f(?:data)?sync\(\d+<[^>]*switchyard\.db-wal>/;
    expect(t.syncsDuring('emit')).toEqual([]);
    for (const decision of ['settings', 'approve', 'cancel']) {
      const syncs = t.syncsDuring(decision);
      expect(syncs.some((l) => wal.test(l)), `${decision}: ${JSON.stringify(syncs)}`).toBe(true);
    }
    // Back at NORMAL afterwards: the next agent events are not synced one by one.
    expect(h.storage.db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('syncs the WAL before a tool-permission decision returns (rule 11)', async () => {
    h = makeHarness({ pipelines: new StaticPipelines({ default: [{ name: 'implement', agent: 'developer', run: ['x'], permissions: { ask: 'human', allow: [], deny: [] } }] }) });
    h.executor.set('implement', async (r) => {
      const answer = await r.permissions!.ask({ tool: 'Bash', input: { command: 'python3 build.py' }, toolUseId: 'toolu_1' });
      return answer.allow ? { kind: 'completed' } : { kind: 'failed', reason: 'denied' };
    });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'P' });
    const asked = await waitForEvent(h.orch, w.id, (e) => e.type === 'permission_requested');
    const trace = await traceThisProcess();
    mark('decide-before');
    h.orch.decidePermission({ workflowId: w.id, requestId: String(asked.data!.requestId), decision: 'allow' });
    mark('decide-after');
    const t = await trace.stop();
    const syncs = t.syncsDuring('decide');
    expect(syncs.some((l) => /^f(?:data)?sync\(\d+<[^>]*switchyard\.db-wal>/.test(l)), JSON.stringify(syncs)).toBe(true);
    await h.waitFor(w.id, 'completed');
  });
});

// Disk trouble: (1) the database locked by another process (a second connection holding
// BEGIN EXCLUSIVE); (2) the database becoming unwritable while the server runs (we run as root,
// so chmod stops nothing: the files are made immutable with `chattr +i`, which binds root too);
// (3) starting on a read-only data directory (a read-only bind mount). Each time: the user gets an
// error answer and no success, the server does not crash, nothing acknowledged is lost, and
// everything works again once the trouble ends.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Workflow } from '../../../src/shared/domain';
import { onCleanup, ownWorkflowIds, tempDir } from '../lib/cleanup';
import { Client, type Answer } from '../lib/client';
import { DB_FILE, snapshot } from '../lib/db';
import { acknowledgedPresent, gaplessSequences, statusesReachable } from '../lib/invariants';
import { pollUntil } from '../lib/proc';
import { makeRepo } from '../lib/repo';
import type { Ctx, Scenario } from '../lib/scenario';
import { ServerProcess, StartFailed } from '../lib/serverProcess';

/** An error a user can act on names the trouble, not "internal error, see the log". */
const CLEAR = /lock|busy|read-?only|disk|I\/O|permission|space|full|database/i;
const clear = (a: Answer) => !a.ok && 'error' in a && CLEAR.test(a.error.message) && !/see the Switchyard log/.test(a.error.message);

/**
 * Lets the running agent print 30 more lines (≈ 0.6 s, eight flush periods of its output) while
 * the trouble lasts, then makes one read: its answer comes after any write the server was stuck
 * in, so the agent's output has met the trouble by then.
 */
async function agentPrintsDuringTrouble(client: Client, editor: Workflow): Promise<void> {
  const log = join(editor.worktreePath, 'edits.log');
  const count = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').length : 0);
  const from = count();
  await pollUntil(() => count() >= from + 30, 10_000);
  await client.call('workflows.get', { workflowId: editor.id });
}

const describe = (a: Answer) => (a.ok ? 'succeeded' : 'error' in a ? `${a.error.code}: ${a.error.message}` : `no answer: ${a.lost}`);

export const disk: Scenario = {
  name: 'disk',
  summary: 'database locked by another process, database made unwritable at run time, start on a read-only data dir',
  async run(ctx) {
    const dir = tempDir('disk');
    const { repo, worktrees } = makeRepo(dir, 5);
    const dataDir = join(dir, 'data');
    let server = await ServerProcess.start({ dataDir, repos: [repo] });
    let client = await Client.connect(server, 'disk');
    const clients = [client];
    const start = async (wt: number, pipeline: string, issueId: string) => {
      const w = await client.must<Workflow>('workflows.start', { worktreePath: worktrees[wt], issueId, pipeline });
      ownWorkflowIds.add(w.id);
      return w;
    };
    const blocked = async (issueId: string, wt: number) => {
      const w = await start(wt, 'gate', issueId);
      if (!(await client.waitWorkflow(w.id, (x) => x.status === 'blocked', 20_000))) throw new Error(`${issueId} never reached its gate`);
      return w;
    };
    const editor = await start(1, 'editForever', 'EDITOR');
    await client.waitEvent(editor.id, (e) => e.type === 'agent_output', 15_000);

    // 1. Locked by another process.
    const gate1 = await blocked('LOCK-GATE', 0);
    const lock = new Database(join(dataDir, DB_FILE));
    lock.exec('BEGIN EXCLUSIVE');
    const release = onCleanup('release the lock', () => {
      if (lock.inTransaction) lock.exec('ROLLBACK');
      lock.close();
    });
    const t0 = Date.now();
    const [startA, approveA, readDuring] = await Promise.all([
      client.call('workflows.start', { worktreePath: worktrees[2], issueId: 'LOCKED', pipeline: 'gate' }),
      client.call('workflows.approve', { workflowId: gate1.id }),
      client.call('workflows.get', { workflowId: gate1.id }).then((a) => ({ a, ms: Date.now() - t0 })),
    ]);
    const lockedMs = Date.now() - t0;
    ctx.figure('read round trip while locked ms', readDuring.ms);
    const readA = await client.call('workflows.get', { workflowId: gate1.id });
    ctx.log(`while locked: start -> ${describe(startA)}; approve -> ${describe(approveA)} (${lockedMs} ms for both: the server waits out its busy timeout)`);
    ctx.check('locked: the writes get error answers, never a success', !startA.ok && !approveA.ok && 'error' in startA && 'error' in approveA, `start ${describe(startA)}, approve ${describe(approveA)}`);
    ctx.check('locked: reads still work (WAL readers are not blocked)', readA.ok && (readA.result as Workflow).status === 'blocked', describe(readA));
    ctx.check('locked: the server is still running', server.running);
    ctx.check('locked: the error tells the user the database is locked', [startA, approveA].every((a) => clear(a) && 'error' in a && /locked/i.test(a.error.message)), describe(startA));
    await agentPrintsDuringTrouble(client, editor);
    lock.exec('ROLLBACK');
    release();
    lock.close();
    await afterTrouble(ctx, 'lock released', client, { gate: gate1, editor, worktree: worktrees[2]!, issueId: 'AFTER-LOCK' });
    await client.must('workflows.cancel', { workflowId: editor.id });
    // A fresh agent for the next trouble (the first one's collector may be silenced).
    const editor2 = await start(1, 'editForever', 'EDITOR-2');
    await client.waitEvent(editor2.id, (e) => e.type === 'agent_output', 15_000);

    // 2. The database becomes unwritable while the server runs.
    const gate2 = await blocked('RO-GATE', 0);
    // The -shm file is left alone: SQLite maps it into memory, and a write fault on an immutable
    // mapping is SIGBUS, which no program can turn into an error answer (see docs/reliability.md).
    const files = [dataDir, join(dataDir, DB_FILE), join(dataDir, `${DB_FILE}-wal`)];
    const frozen = spawnSync('chattr', ['+i', ...files], { encoding: 'utf8' });
    if (frozen.status !== 0) {
      ctx.log(`SKIPPED the run-time read-only case: chattr +i is not possible here (${frozen.stderr.trim()})`);
    } else {
      const unfreeze = onCleanup('chattr -i', () => void spawnSync('chattr', ['-i', ...files]));
      await agentPrintsDuringTrouble(client, editor2);
      const startB = await client.call('workflows.start', { worktreePath: worktrees[4], issueId: 'READONLY', pipeline: 'gate' });
      const approveB = await client.call('workflows.approve', { workflowId: gate2.id });
      const readB = await client.call('workflows.get', { workflowId: gate2.id });
      ctx.log(`while unwritable: start -> ${describe(startB)}; approve -> ${describe(approveB)}`);
      ctx.check('unwritable: the writes get error answers, never a success', !startB.ok && !approveB.ok && 'error' in startB && 'error' in approveB, `start ${describe(startB)}, approve ${describe(approveB)}`);
      ctx.check('unwritable: reads still work', readB.ok, describe(readB));
      ctx.check('unwritable: the server is still running', server.running, server.output.slice(-500));
      ctx.check('unwritable: the error tells the user the database cannot be written', [startB, approveB].every(clear), describe(startB));
      spawnSync('chattr', ['-i', ...files]);
      unfreeze();
      await afterTrouble(ctx, 'writable again', client, { gate: gate2, editor: editor2, worktree: worktrees[4]!, issueId: 'AFTER-RO' });
    }

    // 3. Start-up on a read-only data directory (a read-only bind mount of it).
    await client.close();
    const stop = await server.stop();
    ctx.check('clean stop before the read-only start', stop.code === 0, JSON.stringify(stop));
    const told = snapshot(dataDir);
    const mounted = spawnSync('mount', ['--bind', dataDir, dataDir], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      ctx.log(`SKIPPED the read-only start: cannot bind-mount here (${mounted.stderr.trim()})`);
    } else {
      const unmount = onCleanup('umount', () => void spawnSync('umount', [dataDir]));
      const ro = spawnSync('mount', ['-o', 'remount,bind,ro', dataDir, dataDir], { encoding: 'utf8' });
      ctx.check('the data dir is now read-only (even for root)', ro.status === 0 && spawnSync('touch', [join(dataDir, 'probe')]).status !== 0, ro.stderr);
      let failed: StartFailed | null = null;
      try {
        const s = await ServerProcess.start({ dataDir, repos: [repo] });
        await s.stop();
      } catch (e) {
        if (e instanceof StartFailed) failed = e;
        else throw e;
      }
      const line = failed?.output.trim() ?? '';
      ctx.check(
        'read-only data dir: the server refuses to start with exit 1 and one line naming the data directory (no stack trace)',
        failed !== null && failed.exit?.code === 1 && line.includes(dataDir) && !/\n\s+at /.test(line),
        failed ? `exit ${JSON.stringify(failed.exit)}: ${line.slice(0, 300)}` : 'it started',
        line,
      );
      spawnSync('umount', [dataDir]);
      unmount();
    }

    // Back to normal: everything acknowledged is still there.
    server = await ServerProcess.start({ dataDir, repos: [repo] });
    client = await Client.connect(server, 'disk-after');
    clients.push(client);
    const s = snapshot(dataDir);
    ctx.check('afterwards: integrity ok, sequences gapless, statuses reachable', [
      ...(s.integrity === 'ok' ? [] : [s.integrity]),
      ...gaplessSequences(s),
      ...statusesReachable(s),
    ]);
    ctx.check('afterwards: every acknowledged answer and pushed event is stored', acknowledgedPresent(s, clients, clients.flatMap((c) => c.acks)));
    ctx.check('afterwards: the database is what it was before the read-only start', [...told.workflows.keys()].every((id) => s.workflows.has(id)));
    await client.close();
    ctx.check('clean stop at the end', (await server.stop()).code === 0);
  },
};


/** Once the trouble is gone: the refused writes can be repeated, agents' output flows again. */
async function afterTrouble(
  ctx: Ctx,
  when: string,
  client: Client,
  o: { gate: Workflow; editor: Workflow; worktree: string; issueId: string },
): Promise<void> {
  const none = await client.call('workflows.byWorktree', { worktreePath: o.worktree });
  ctx.check(`${when}: the refused start left nothing behind`, none.ok && none.result === null, describe(none));
  const approve = await client.call('workflows.approve', { workflowId: o.gate.id });
  const done = approve.ok && (await client.waitWorkflow(o.gate.id, (w) => w.status === 'completed', 20_000));
  ctx.check(`${when}: the refused approve succeeds now and the workflow completes`, Boolean(done), describe(approve));
  const again = await client.call('workflows.start', { worktreePath: o.worktree, issueId: o.issueId, pipeline: 'gate' });
  if (again.ok) ownWorkflowIds.add((again.result as Workflow).id);
  ctx.check(`${when}: a new start succeeds`, again.ok, describe(again));
  const seen = client.events.get(o.editor.id)?.size ?? 0;
  const flowing = await client.waitFor(() => (client.events.get(o.editor.id)?.size ?? 0) > seen, 10_000);
  const ed = await client.call('workflows.get', { workflowId: o.editor.id });
  const log = join(o.editor.worktreePath, 'edits.log');
  const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').length - 1 : 0;
  const last = [...(client.events.get(o.editor.id)?.values() ?? [])].at(-1);
  const told = await client.waitFor(
    () => [...(client.events.get(o.editor.id)?.values() ?? [])].some((e) => e.type === 'system_warning' && e.data?.reason === 'output_lost'),
    10_000,
  );
  ctx.check(`${when}: a warning says how much of the agent's output could not be recorded`, told);
  ctx.check(
    `${when}: the running agent's output is recorded again`,
    flowing,
    `agent ${ed.ok ? (ed.result as Workflow).status : describe(ed)}, ${lines} lines in its edits.log, last event recorded #${last?.sequence} at ${last?.timestamp}`,
  );
}

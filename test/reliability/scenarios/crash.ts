// Crash: kill -9 the server at random moments (after a random number of messages reached the
// client) while a client starts, approves, rejects and cancels; restart on the same data dir
// and check rule 8 and rule 9 from the database and from what the client had been told.
import { join } from 'node:path';
import type { Workflow } from '../../../src/shared/domain';
import { ACTIVE_STATUSES } from '../../../src/shared/status';
import { ownWorkflowIds, tempDir } from '../lib/cleanup';
import { Client, type Ack } from '../lib/client';
import { snapshot, type Snapshot } from '../lib/db';
import { acknowledgedPresent, gaplessSequences, oneActivePerWorktree, runningWithinLimit, statusesReachable } from '../lib/invariants';
import { markedProcesses, pollUntil } from '../lib/proc';
import { Rng, seedFromEnv } from '../lib/random';
import { makeRepo } from '../lib/repo';
import type { Ctx, Scenario } from '../lib/scenario';
import { ServerProcess } from '../lib/serverProcess';

const LIMIT = 3;
const WORKTREES = 6;

export const crash: Scenario = {
  name: 'crash',
  summary: 'kill -9 the server at random moments under a live client; restart on the same data dir and check what survived',
  async run(ctx) {
    const kills = ctx.long ? 20 : 3;
    const rng = new Rng(seedFromEnv());
    ctx.log(`seed ${rng.seed} (RELIABILITY_SEED=${rng.seed} repeats this run); ${kills} kills, ${WORKTREES} worktrees, limit ${LIMIT}`);
    const dir = tempDir('crash');
    const { repo, worktrees: all } = makeRepo(dir, WORKTREES + 1);
    // The driver uses the first WORKTREES; the last one holds a workflow parked at its gate through
    // every kill, approved only at the end (so every run covers "blocked survives and continues").
    const worktrees = all.slice(0, WORKTREES);
    const dataDir = join(dir, 'data');
    const allAcks: Ack[] = [];
    const allClients: Client[] = [];
    let server = await ServerProcess.start({ dataDir, repos: [repo] });
    let client = await Client.connect(server, 'round-0');
    allClients.push(client);
    await client.must('settings.set', { maxConcurrent: LIMIT, killGraceMs: 1000 });
    const parked = await client.must<Workflow>('workflows.start', { worktreePath: all[WORKTREES], issueId: 'PARKED', pipeline: 'gate' });
    ownWorkflowIds.add(parked.id);
    ctx.check('a workflow is parked at its gate before the first kill', (await client.waitWorkflow(parked.id, (w) => w.status === 'blocked', 20_000)) !== null);
    let survived = 0;
    let operations = 0;
    let approvedAfterRestart = 0;

    for (let round = 0; round < kills; round++) {
      // Drive the server until the kill: two concurrent drivers, so calls are in flight when it dies.
      const killAfter = client.pushes + rng.int(5, 120);
      let killed = false;
      const drivers = [0, 1].map(async () => {
        for (let i = 0; i < 400 && !killed && !client.isClosed; i++) {
          operations++;
          await step(client, worktrees, rng, parked.id);
        }
      });
      const reached = await client.waitFor(() => client.pushes >= killAfter, 30_000);
      const inFlight = client.inFlight;
      await server.kill9();
      killed = true;
      await Promise.all(drivers);
      allAcks.push(...client.acks);
      ctx.log(`round ${round + 1}: killed after ${client.pushes} pushes (${reached ? 'at the random point' : 'at the 30 s deadline'}), ${client.acks.length} answers, ${inFlight} calls in flight`);

      // The database as the kill left it.
      const before = snapshot(dataDir);
      for (const id of before.workflows.keys()) ownWorkflowIds.add(id);
      const wasRunning = [...before.workflows.values()].filter((w) => w.status === 'in_progress' || w.status === 'pending');
      const wasBlocked = [...before.workflows.values()].filter((w) => w.status === 'blocked');
      const wasQueued = [...before.workflows.values()].filter((w) => w.status === 'queued');
      const outlived = markedProcesses(new Set(wasRunning.map((w) => w.id)));
      ctx.log(`  after the kill: ${wasRunning.length} running, ${wasBlocked.length} blocked, ${wasQueued.length} queued; ${outlived.length} agent processes outlived the server`);
      const counts: Record<string, number> = {};
      for (const w of before.workflows.values()) counts[w.status] = (counts[w.status] ?? 0) + 1;
      ctx.log(`  statuses so far: ${JSON.stringify(counts)}`);
      if (process.env.RELIABILITY_DEBUG) for (const w of wasRunning) ctx.log(`    running ${w.id.slice(0, 8)} ${w.current_stage}: ${(before.events.get(w.id) ?? []).map((e) => e.type).join(',')}`);
      if (process.env.RELIABILITY_DEBUG) for (const w of before.workflows.values()) if (w.failure_reason) ctx.log(`    ${w.id.slice(0, 8)} ${w.failure_reason.slice(0, 150)}`);
      checkDatabase(ctx, `kill ${round + 1}, before restart`, before, allClients, allAcks);

      // Restart on the same data dir.
      server = await ServerProcess.start({ dataDir, repos: [repo] });
      client = await Client.connect(server, `round-${round + 1}`);
      allClients.push(client);
      const runningIds = new Set(wasRunning.map((w) => w.id));
      const reapedIn = await pollUntil(() => markedProcesses(runningIds).length === 0, 3_000);
      ctx.check(
        `kill ${round + 1}: no agent of an interrupted workflow runs after the restart`,
        reapedIn !== null,
        markedProcesses(runningIds).map((p) => `${p.workflowId.slice(0, 8)} pid ${p.pid}: ${p.cmd}`).join('; '),
        `${outlived.length} outlived the kill, gone ${reapedIn} ms after the restart listened`,
      );
      const after = snapshot(dataDir);
      checkDatabase(ctx, `kill ${round + 1}, after restart`, after, allClients, allAcks);
      ctx.check(
        `kill ${round + 1}: interrupted workflows failed with "interrupted…"`,
        wasRunning.flatMap((w) => {
          const now = after.workflows.get(w.id)!;
          return now.status === 'failed' && now.failure_reason?.startsWith('interrupted') ? [] : [`${w.id.slice(0, 8)} is ${now.status}: ${now.failure_reason}`];
        }),
        undefined,
        `${wasRunning.length} interrupted`,
      );
      ctx.check(
        `kill ${round + 1}: blocked workflows are still blocked`,
        wasBlocked.flatMap((w) => (after.workflows.get(w.id)!.status === 'blocked' ? [] : [`${w.id.slice(0, 8)} is ${after.workflows.get(w.id)!.status}`])),
        undefined,
        `${wasBlocked.length} blocked`,
      );
      ctx.check(`kill ${round + 1}: the queue is intact and drained first in, first out`, queueProblems(wasQueued, after), undefined, `${wasQueued.length} were queued`);
      // Every agent process now alive belongs to a workflow the new server is running.
      const strays = markedProcesses().filter((p) => ownWorkflowIds.has(p.workflowId) && !isRunning(after, p.workflowId));
      ctx.check(`kill ${round + 1}: every live agent belongs to a running workflow`, strays.map((p) => `${p.workflowId.slice(0, 8)} pid ${p.pid}`));

      // Blocked ones are approvable and continue at the stage after the gate.
      for (const w of wasBlocked.filter((b) => b.id !== parked.id).slice(0, 2)) {
        const a = await client.call('workflows.approve', { workflowId: w.id });
        const continued = a.ok && (await client.waitEvent(w.id, (e) => e.type === 'stage_started' && (e.data as { stage?: string })?.stage === 'implement', 15_000));
        if (ctx.check(`kill ${round + 1}: blocked ${w.id.slice(0, 8)} approved after the restart continues with implement`, Boolean(continued), a.ok ? 'no stage_started implement' : JSON.stringify(a))) approvedAfterRestart++;
      }
      survived++;
    }

    // The end: the parked workflow, blocked through every kill, is approved and completes.
    const approvedParked = await client.call('workflows.approve', { workflowId: parked.id });
    const parkedDone = approvedParked.ok && (await client.waitWorkflow(parked.id, (w) => w.status === 'completed', 20_000));
    ctx.check(`the workflow parked at its gate through ${kills} kills is approved and completes`, Boolean(parkedDone), JSON.stringify(approvedParked).slice(0, 200));
    const final = snapshot(dataDir);
    for (const id of final.workflows.keys()) ownWorkflowIds.add(id);
    allAcks.push(...client.acks);
    await client.close();
    const stop = await server.stop();
    ctx.check('the server stops cleanly on SIGTERM', stop.code === 0, `exit ${JSON.stringify(stop)}`);
    const gone = await pollUntil(() => markedProcesses(ownWorkflowIds).length === 0, 5_000);
    ctx.check('no agent process is left after the clean stop', gone !== null, markedProcesses(ownWorkflowIds).map((p) => `pid ${p.pid} ${p.cmd}`).join('; '));
    checkDatabase(ctx, 'after the clean stop', snapshot(dataDir), allClients, allAcks);
    ctx.figure('kills survived', `${survived}/${kills}`);
    ctx.figure('crash operations', operations);
    ctx.figure('acknowledged answers', allAcks.length);
    ctx.figure('workflows', final.workflows.size);
    ctx.figure('events stored', [...final.events.values()].reduce((n, l) => n + l.length, 0));
    ctx.figure('approved after restart', approvedAfterRestart);
  },
};

function isRunning(s: Snapshot, id: string): boolean {
  const st = s.workflows.get(id)?.status;
  return st === 'pending' || st === 'in_progress';
}

function checkDatabase(ctx: Ctx, when: string, s: Snapshot, clients: Client[], acks: Ack[]): void {
  ctx.check(`${when}: PRAGMA integrity_check = ok`, s.integrity === 'ok', s.integrity);
  ctx.check(`${when}: sequences 1..n without gaps`, gaplessSequences(s), undefined, `${s.events.size} workflows`);
  const pushed = clients.reduce((n, c) => n + [...c.events.values()].reduce((m, e) => m + e.size, 0), 0);
  ctx.check(`${when}: every acknowledged event and transition is stored`, acknowledgedPresent(s, clients, acks), undefined, `${acks.length} answers, ${pushed} pushed events`);
  ctx.check(`${when}: every status is reachable from its events`, statusesReachable(s));
  ctx.check(`${when}: one active workflow per worktree, running ≤ ${LIMIT}`, [
    ...oneActivePerWorktree(s),
    ...runningWithinLimit([...s.workflows.values()].map((w) => w.status), LIMIT),
  ]);
}

function queueProblems(wasQueued: { id: string; n: number }[], after: Snapshot): string[] {
  const problems: string[] = [];
  const ordered = [...wasQueued].sort((a, b) => a.n - b.n);
  let stillQueued = false;
  for (const w of ordered) {
    const st = after.workflows.get(w.id)?.status;
    if (!st) problems.push(`${w.id.slice(0, 8)} vanished`);
    else if (st === 'queued') stillQueued = true;
    else if (stillQueued) problems.push(`${w.id.slice(0, 8)} left the queue before an older one`);
    else if (st === 'cancelled' || st === 'failed' || st === 'completed') {
      // It started after the restart and may already have ended; its events say so.
      if (!(after.events.get(w.id) ?? []).some((e) => e.type === 'workflow_started' || e.type === 'workflow_cancelled')) problems.push(`${w.id.slice(0, 8)} is ${st} without having started`);
    }
  }
  return problems;
}

/** One random client operation, as a user would do it. */
async function step(client: Client, worktrees: string[], rng: Rng, parked: string): Promise<void> {
  const known = [...client.latest.values()].filter((w) => w.id !== parked);
  const active = known.filter((w) => (ACTIVE_STATUSES as readonly string[]).includes(w.status));
  const blocked = active.filter((w) => w.status === 'blocked');
  const busy = new Set(active.map((w) => w.worktreePath));
  const free = worktrees.filter((w) => !busy.has(w));
  const r = rng.next();
  if (blocked.length && r < 0.3) {
    // Answer a gate, mostly by approving.
    const w = rng.pick(blocked);
    if (rng.chance(0.85)) await client.call('workflows.approve', { workflowId: w.id });
    else await client.call('workflows.reject', { workflowId: w.id, feedback: 'not like this' });
  } else if (active.length && r >= 0.3 && r < 0.35) {
    await client.call('workflows.cancel', { workflowId: rng.pick(active).id, reason: 'changed my mind' });
  } else if (free.length && r < 0.85) {
    const a = await client.call('workflows.start', { worktreePath: rng.pick(free), issueId: `CRASH-${rng.int(1, 9999)}`, queue: rng.chance(0.7) });
    if (a.ok) client.latest.set((a.result as Workflow).id, a.result as Workflow);
  } else {
    // Reads interleave with the writes, as the window's would.
    const w = known.length ? rng.pick(known) : null;
    await client.call(w ? 'events.list' : 'workflows.active', w ? { workflowId: w.id, afterSequence: 0, limit: 50 } : {});
  }
  // Pace the operations by the server's own activity: wait for its next push rather than spinning.
  const seen = client.pushes;
  await client.waitFor(() => client.pushes > seen, 1_000);
}

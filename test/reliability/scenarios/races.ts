// Race storms: mixed operations from 10 concurrent WebSocket clients — starts on overlapping
// worktrees, approve vs reject vs cancel fired at once on the same blocked workflow, cancelAll
// during starts — then the invariants of rules 1, 2, 3, 5 and 9, checked live (at every pushed
// change) and on the database afterwards.
import { join } from 'node:path';
import type { Workflow } from '../../../src/shared/domain';
import { ACTIVE_STATUSES, RUNNING_STATUSES, type WorkflowStatus } from '../../../src/shared/status';
import { ownWorkflowIds, tempDir } from '../lib/cleanup';
import { Client, type Ack } from '../lib/client';
import { snapshot } from '../lib/db';
import { acknowledgedPresent, gaplessSequences, noConflictingSuccesses, oneActivePerWorktree, runningWithinLimit, statusesReachable } from '../lib/invariants';
import { markedProcesses, pollUntil } from '../lib/proc';
import { Rng, seedFromEnv } from '../lib/random';
import { makeRepo } from '../lib/repo';
import type { Scenario } from '../lib/scenario';
import { ServerProcess } from '../lib/serverProcess';

const CLIENTS = 10;
const WORKTREES = 8;
const LIMIT = 4;

export const races: Scenario = {
  name: 'races',
  summary: '1,000 (long: 5,000) mixed operations from 10 concurrent clients on 8 overlapping worktrees; invariants live and afterwards',
  async run(ctx) {
    const total = ctx.long ? 5000 : 1000;
    const rng = new Rng(seedFromEnv() + 1);
    ctx.log(`seed ${rng.seed - 1}; ${total} operations, ${CLIENTS} clients, ${WORKTREES} worktrees, limit ${LIMIT}`);
    const dir = tempDir('races');
    const { repo, worktrees } = makeRepo(dir, WORKTREES);
    const dataDir = join(dir, 'data');
    const server = await ServerProcess.start({ dataDir, repos: [repo] });
    const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => Client.connect(server, `c${i}`)));
    const observer = clients[0]!;
    await observer.must('settings.set', { maxConcurrent: LIMIT, killGraceMs: 500 });

    // Live invariants: replay every workflow push in order (they follow the commits).
    const state = new Map<string, Workflow>();
    const live: string[] = [];
    let maxRunning = 0;
    observer.onPush((m) => {
      if (m.push !== 'workflow') return;
      const w = m.data as Workflow;
      state.set(w.id, w);
      ownWorkflowIds.add(w.id);
      const running = [...state.values()].filter((x) => (RUNNING_STATUSES as readonly WorkflowStatus[]).includes(x.status)).length;
      maxRunning = Math.max(maxRunning, running);
      if (running > LIMIT && live.length < 20) live.push(`after ${w.id.slice(0, 8)} -> ${w.status}: ${running} running > ${LIMIT}`);
      const holders = [...state.values()].filter((x) => x.worktreePath === w.worktreePath && (ACTIVE_STATUSES as readonly WorkflowStatus[]).includes(x.status));
      if (holders.length > 1 && live.length < 20) live.push(`${w.worktreeName}: ${holders.map((h) => `${h.id.slice(0, 8)}=${h.status}`).join(', ')} active at once`);
    });

    // Three-way races on every workflow that reaches its gate, fired at once from three clients.
    let gateRaces = 0;
    let issued = 0;
    const raced = new Set<string>();
    const races: Promise<unknown>[] = [];
    observer.onPush((m) => {
      if (m.push !== 'workflow') return;
      const w = m.data as Workflow;
      if (w.status !== 'blocked' || raced.has(w.id) || issued + 3 > total || !rng.chance(0.8)) return;
      raced.add(w.id);
      gateRaces++;
      const [a, b, c] = [rng.pick(clients), rng.pick(clients), rng.pick(clients)];
      const ops = [
        () => a.call('workflows.approve', { workflowId: w.id }),
        () => b.call('workflows.reject', { workflowId: w.id, feedback: 'race: rejected' }),
        () => c.call('workflows.cancel', { workflowId: w.id, reason: 'race: cancelled' }),
      ];
      issued += 3;
      // The order of sending varies; all three are on the wire before any answer is read.
      const order = rng.chance(0.5) ? [0, 1, 2] : rng.chance(0.5) ? [2, 0, 1] : [1, 2, 0];
      races.push(Promise.all(order.map((i) => ops[i]!())));
    });

    const t0 = Date.now();
    await Promise.all(
      clients.map(async (client) => {
        while (issued < total) {
          issued++;
          await randomOp(client, rng, worktrees, observer);
        }
      }),
    );
    await Promise.all(races);
    const ms = Date.now() - t0;
    const acks: Ack[] = clients.flatMap((c) => c.acks);
    ctx.log(`${issued} operations in ${(ms / 1000).toFixed(1)} s (${gateRaces} approve/reject/cancel three-way races); ${state.size} workflows`);

    const codes: Record<string, number> = {};
    for (const a of acks) {
      const k = `${a.method} ${a.answer.ok ? 'ok' : 'error' in a.answer ? a.answer.error.code : 'lost'}`;
      codes[k] = (codes[k] ?? 0) + 1;
    }
    ctx.log(`answers: ${Object.entries(codes).sort().map(([k, v]) => `${k}:${v}`).join(', ')}`);
    ctx.check('every operation was answered (none lost or timed out)', acks.length >= issued, `${acks.length} answers for ${issued} operations`);
    ctx.check('no INTERNAL error', acks.filter((a) => !a.answer.ok && 'error' in a.answer && a.answer.error.code === 'INTERNAL').map((a) => `${a.method}: ${JSON.stringify(a.answer)}`));
    ctx.check('live: at every pushed change, one active workflow per worktree and running ≤ limit', live, undefined, `peak running ${maxRunning}`);
    const raceWins = countRaceWins(acks, raced);
    ctx.check('each three-way gate race had exactly one approve/reject winner, or the cancel won before both', raceWins.problems, undefined, raceWins.summary);

    const s = snapshot(dataDir);
    ctx.check('database: integrity ok', s.integrity === 'ok', s.integrity);
    ctx.check('database: one active workflow per worktree', oneActivePerWorktree(s));
    ctx.check(`database: running ≤ ${LIMIT}`, runningWithinLimit([...s.workflows.values()].map((w) => w.status), LIMIT));
    ctx.check('database: every status reachable by the state machine from its events', statusesReachable(s), undefined, `${s.workflows.size} workflows`);
    ctx.check('database: sequences gapless', gaplessSequences(s));
    ctx.check('database: never two successes for conflicting operations', noConflictingSuccesses(acks, s));
    ctx.check('database: every acknowledged answer and pushed event is stored', acknowledgedPresent(s, clients, acks));

    const all = await observer.call('workflows.cancelAll', { reason: 'races: the end' });
    ctx.check('cancelAll at the end answers', all.ok, JSON.stringify(all));
    const idle = await pollUntil(() => markedProcesses(ownWorkflowIds).length === 0, 5_000);
    ctx.check('no agent process left after cancelAll', idle !== null, markedProcesses(ownWorkflowIds).map((p) => `pid ${p.pid}`).join(', '));
    await Promise.all(clients.map((c) => c.close()));
    const stop = await server.stop();
    ctx.check('clean stop', stop.code === 0, JSON.stringify(stop));
    ctx.figure('race operations', issued);
    ctx.figure('gate races', gateRaces);
    ctx.figure('race workflows', s.workflows.size);
  },
};

function countRaceWins(acks: readonly Ack[], raced: Set<string>): { problems: string[]; summary: string } {
  const by = new Map<string, { approve: boolean; reject: boolean; cancel: boolean; cancelAt: number; decideAt: number }>();
  for (const a of acks) {
    const id = (a.params as { workflowId?: string } | undefined)?.workflowId;
    if (!id || !raced.has(id) || !a.answer.ok) continue;
    let r = by.get(id);
    if (!r) by.set(id, (r = { approve: false, reject: false, cancel: false, cancelAt: 0, decideAt: 0 }));
    if (a.method === 'workflows.approve') r.approve = true;
    if (a.method === 'workflows.reject') r.reject = true;
    if (a.method === 'workflows.cancel') r.cancel = true;
  }
  const problems: string[] = [];
  let approveWins = 0;
  let rejectWins = 0;
  let cancelFirst = 0;
  for (const id of raced) {
    const r = by.get(id) ?? { approve: false, reject: false, cancel: false };
    if (r.approve && r.reject) problems.push(`${id.slice(0, 8)}: approve and reject both succeeded`);
    else if (r.reject && r.cancel) problems.push(`${id.slice(0, 8)}: reject and cancel both succeeded`);
    else if (!r.approve && !r.reject && !r.cancel) {
      // Another operation (a random cancel, cancelAll) may have ended it first: not a race outcome.
    } else if (r.approve) approveWins++;
    else if (r.reject) rejectWins++;
    else cancelFirst++;
  }
  return { problems, summary: `approve won ${approveWins}, reject won ${rejectWins}, cancel first ${cancelFirst}` };
}

async function randomOp(client: Client, rng: Rng, worktrees: string[], observer: Client): Promise<void> {
  const known = [...observer.latest.values()];
  const active = known.filter((w) => (ACTIVE_STATUSES as readonly string[]).includes(w.status));
  const blocked = active.filter((w) => w.status === 'blocked');
  const any = (xs: Workflow[]) => (xs.length ? rng.pick(xs).id : rng.pick(known.length ? known : [{ id: 'no-such-workflow' } as Workflow]).id);
  const r = rng.next();
  if (r < 0.35) {
    await client.call('workflows.start', { worktreePath: rng.pick(worktrees), issueId: `RACE-${rng.int(1, 99999)}`, pipeline: 'storm', queue: rng.chance(0.5) });
  } else if (r < 0.5) {
    await client.call('workflows.approve', { workflowId: rng.chance(0.8) ? any(blocked) : any(known) });
  } else if (r < 0.6) {
    await client.call('workflows.reject', { workflowId: rng.chance(0.8) ? any(blocked) : any(known), feedback: 'random reject' });
  } else if (r < 0.66) {
    await client.call('workflows.cancel', { workflowId: any(active), reason: 'random cancel' });
  } else if (r < 0.665) {
    // cancelAll while other clients are starting.
    await client.call('workflows.cancelAll', { reason: 'random cancelAll' });
  } else if (r < 0.76) {
    await client.call('workflows.byWorktree', { worktreePath: rng.pick(worktrees) });
  } else if (r < 0.88) {
    await client.call('workflows.active', {});
  } else if (r < 0.94) {
    await client.call('workflows.get', { workflowId: any(known) });
  } else {
    await client.call('events.list', { workflowId: any(known), afterSequence: rng.int(0, 5) });
  }
}

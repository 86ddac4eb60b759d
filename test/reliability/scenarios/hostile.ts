// Hostile input: fuzzed messages against every method, oversized frames, slow-loris upgrade
// requests held open, 100 connections opened at once and unauthorized ones — while a
// well-behaved client keeps calling and timing its round trips. Every hostile message must get
// one error answer, never a success or INTERNAL, and the database must not change.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Workflow } from '../../../src/shared/domain';
import { ownWorkflowIds, tempDir } from '../lib/cleanup';
import { Client, within } from '../lib/client';
import { digest } from '../lib/db';
import { githubCalls, hostileFrames } from '../lib/fuzz';
import { Rng, seedFromEnv } from '../lib/random';
import { makeRepo } from '../lib/repo';
import type { Scenario } from '../lib/scenario';
import { ServerProcess } from '../lib/serverProcess';

const FUZZ_CONNECTIONS = 4;
const BATCH = 50;
const SLOW_LORIS = 50;
const AT_ONCE = 100;
/** The well-behaved client's round trip must stay under this, whatever else happens. */
const MAX_RTT_MS = 2_000;

export const hostile: Scenario = {
  name: 'hostile',
  summary: 'fuzzed messages on every method (1,000; long: 10,000), oversized frames, slow loris, 100 connections at once; a normal client stays responsive, the database unchanged',
  async run(ctx) {
    const count = ctx.long ? 10_000 : 1_000;
    const rng = new Rng(seedFromEnv() + 2);
    const dir = tempDir('hostile');
    const { repo, worktrees } = makeRepo(dir, 2);
    const dataDir = join(dir, 'data');
    // A GitHub origin, but no token anywhere (no variable, and `gh` sees an empty config): the
    // GitHub methods' well-formed calls must stop at the typed "no token" error.
    execFileSync('git', ['-C', repo, 'remote', 'add', 'origin', 'https://github.com/switchyard-fuzz/hostile.git']);
    // And a push, were one ever reached, would go to a folder that is not there, never out.
    execFileSync('git', ['-C', repo, 'config', 'remote.origin.pushurl', join(dir, 'no-such-origin.git')]);
    const noGh = join(dir, 'gh-config');
    mkdirSync(noGh);
    const server = await ServerProcess.start({ dataDir, repos: [repo], env: { GH_TOKEN: '', GITHUB_TOKEN: '', GH_CONFIG_DIR: noGh } });
    const good = await Client.connect(server, 'well-behaved');
    const repos = await good.must<{ id: string }[]>('repos.list', {});
    // Something live for malformed approve/reject/cancel to aim at: a workflow waiting at its gate.
    const w = await good.must<Workflow>('workflows.start', { worktreePath: worktrees[0], issueId: 'HOSTILE', pipeline: 'gate' });
    ownWorkflowIds.add(w.id);
    ctx.check('a workflow waits at its gate', (await good.waitWorkflow(w.id, (x) => x.status === 'blocked', 20_000)) !== null);
    // Belt and braces: even if a token were found, GitHub calls go to a closed local port, never out.
    await good.must('settings.set', { githubApiUrl: 'http://127.0.0.1:9' });
    // A completed workflow, so a well-formed ship gets past its status check to the token.
    const completed = await good.must<Workflow>('workflows.start', { worktreePath: worktrees[1], issueId: 'HOSTILE-DONE', pipeline: 'storm' });
    ownWorkflowIds.add(completed.id);
    await good.waitWorkflow(completed.id, (x) => x.status === 'blocked', 20_000);
    await good.must('workflows.approve', { workflowId: completed.id });
    ctx.check('a workflow completed (for ship)', (await good.waitWorkflow(completed.id, (x) => x.status === 'completed', 20_000)) !== null);
    const before = digest(dataDir);
    ctx.log(`database digest before: ${before.digest.slice(0, 16)}… (${before.rows} rows); seed ${rng.seed - 2}`);

    // The well-behaved client: one call after another for the whole attack, each timed.
    const rtts: number[] = [];
    const goodErrors: string[] = [];
    let attacking = true;
    const wellBehaved = (async () => {
      while (attacking) {
        const t = performance.now();
        const a = await good.call(rng.chance(0.5) ? 'workflows.get' : 'events.list', { workflowId: w.id }, 10_000);
        rtts.push(performance.now() - t);
        if (!a.ok) goodErrors.push(JSON.stringify(a));
      }
    })();

    // Slow loris: upgrade requests that never finish their headers, held open throughout.
    const loris: Socket[] = [];
    await Promise.all(
      Array.from({ length: SLOW_LORIS }, () =>
        new Promise<void>((resolve) => {
          const s = connect(server.port, '127.0.0.1', () => {
            s.write(`GET /ws?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Slow: `);
            resolve();
          });
          s.on('error', () => resolve());
          loris.push(s);
        }),
      ),
    );
    ctx.log(`${SLOW_LORIS} slow-loris connections hold half-sent upgrade requests`);

    // Fuzz, from several connections at once, in pipelined batches.
    const frames = hostileFrames(count, rng, { workflowId: w.id, worktreePath: worktrees[1]!, repoId: repos[0]?.id ?? 'none' });
    const fuzzers = await Promise.all(Array.from({ length: FUZZ_CONNECTIONS }, (_, i) => Client.connect(server, `fuzz-${i}`)));
    const answers: Record<string, unknown>[] = [];
    await Promise.all(
      fuzzers.map(async (f, i) => {
        const mine = frames.filter((_, j) => j % FUZZ_CONNECTIONS === i);
        for (let k = 0; k < mine.length; k += BATCH) {
          const batch = mine.slice(k, k + BATCH);
          const expect = f.unmatched.length + batch.length;
          for (const frame of batch) f.sendRaw(frame);
          if (!(await f.waitFor(() => f.unmatched.length >= expect, 15_000))) break;
        }
        answers.push(...f.unmatched);
      }),
    );
    // A few binary frames too.
    fuzzers[0]!.sendRaw(Buffer.from([0, 1, 2, 3]), true);
    const isBinaryAnswer = (m: Record<string, unknown>) => (m.error as { code?: string; message?: string } | undefined)?.code === 'INVALID_INPUT' && /Binary frames/.test(JSON.stringify(m));
    const binaryRefused = await fuzzers[0]!.waitFor(() => fuzzers[0]!.unmatched.some(isBinaryAnswer), 5_000);
    const successes = answers.filter((a) => 'result' in a);
    const internal = answers.filter((a) => (a.error as { code?: string } | undefined)?.code === 'INTERNAL');
    const codes: Record<string, number> = {};
    for (const a of answers) {
      const code = (a.error as { code?: string } | undefined)?.code ?? 'result';
      codes[code] = (codes[code] ?? 0) + 1;
    }
    ctx.log(`${frames.length} hostile messages on ${FUZZ_CONNECTIONS} connections; answers: ${JSON.stringify(codes)}`);
    ctx.check('every hostile message got exactly one answer', answers.length === frames.length, `${answers.length} answers for ${frames.length} messages`);
    ctx.check('no hostile message succeeded', successes.map((a) => JSON.stringify(a).slice(0, 200)));
    ctx.check('no hostile message caused an INTERNAL error', internal.map((a) => JSON.stringify(a).slice(0, 200)));
    ctx.check('a binary frame is refused with INVALID_INPUT', binaryRefused);

    // Well-formed GitHub calls: typed answers, no request (no token), nothing written (digest below).
    const ghCalls = githubCalls({ workflowId: w.id, worktreePath: worktrees[1]!, repoId: repos[0]?.id ?? 'none', completedWorkflowId: completed.id });
    const ghWrong: string[] = [];
    for (const call of ghCalls) {
      const a = await good.call(call.method, call.params, 15_000);
      const got = a.ok ? { result: a.result } : 'error' in a ? { code: a.error.code, ...(a.error.details?.github ? { github: a.error.details.github } : {}) } : { lost: a.lost };
      if (JSON.stringify(got) !== JSON.stringify(call.expect)) ghWrong.push(`${call.method} ${JSON.stringify(call.params)}: ${JSON.stringify(got)}, not ${JSON.stringify(call.expect)}`);
    }
    ctx.check(`${ghCalls.length} well-formed GitHub calls without a token get their typed answer (no_token, NOT_FOUND, null)`, ghWrong);

    // Oversized frames: the connection is closed with 1009; the server lives on.
    const big = await Client.connect(server, 'oversized');
    big.sendRaw(JSON.stringify({ id: 1, method: 'workflows.get', params: { workflowId: 'x'.repeat(2 * 1024 * 1024) } }));
    const closed = await within(big.closed, 10_000);
    ctx.check('a 2 MB frame closes that connection with 1009 (message too big)', closed?.code === 1009, `closed: ${JSON.stringify(closed)}`);

    // 100 connections at once, each with one call; unauthorized ones refused.
    const burst = await Promise.allSettled(
      Array.from({ length: AT_ONCE }, async (_, i) => {
        const c = await Client.connect(server, `burst-${i}`);
        const a = await c.call('workflows.get', { workflowId: w.id }, 15_000);
        await c.close();
        return a.ok;
      }),
    );
    const burstOk = burst.filter((r) => r.status === 'fulfilled' && r.value).length;
    ctx.check(`${AT_ONCE} connections opened at once are all served`, burstOk === AT_ONCE, `${burstOk} of ${AT_ONCE} served`, `${burstOk} served`);
    const refused = await Promise.all([
      ...Array.from({ length: 10 }, () => Client.connect(server, 'bad-token', { token: 'wrong-token-0123456789abcdef' })),
      ...Array.from({ length: 5 }, () => Client.connect(server, 'bad-origin', { origin: 'http://evil.example' })),
      ...Array.from({ length: 5 }, () => Client.connect(server, 'no-origin', { origin: null })),
    ].map(async (p) => {
      const c = await p.catch(() => null);
      if (!c) return 'no connection';
      const r = await within(c.closed, 5_000);
      const said = c.unmatched.some((m) => (m.error as { code?: string } | undefined)?.code === 'UNAUTHORIZED');
      return r?.code === 1008 && said ? 'refused' : `not refused: ${JSON.stringify(r)}`;
    }));
    ctx.check('20 unauthorized connections (token, Origin, no Origin) get UNAUTHORIZED and are closed', refused.filter((r) => r !== 'refused'));

    attacking = false;
    await wellBehaved;
    for (const s of loris) s.destroy();
    rtts.sort((a, b) => a - b);
    const p99 = rtts[Math.floor(rtts.length * 0.99)] ?? 0;
    const max = rtts[rtts.length - 1] ?? 0;
    ctx.check(`the well-behaved client stayed responsive (every call answered, max round trip < ${MAX_RTT_MS} ms)`, goodErrors.length === 0 && max < MAX_RTT_MS, `${goodErrors.length} failed calls (${goodErrors.slice(0, 2).join('; ')}), max ${max.toFixed(0)} ms`, `${rtts.length} calls, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
    ctx.check('the server process is still running', server.running);

    const after = digest(dataDir);
    ctx.check('the database is unchanged by the hostile input (digest of every table)', after.digest === before.digest, `${before.digest.slice(0, 16)} -> ${after.digest.slice(0, 16)} (${before.rows} -> ${after.rows} rows)`);
    // And the workflow the attack aimed at is still approvable and finishes.
    const approved = await good.call('workflows.approve', { workflowId: w.id });
    const done = approved.ok && (await good.waitWorkflow(w.id, (x) => x.status === 'completed', 20_000));
    ctx.check('the targeted blocked workflow is still approvable and completes', Boolean(done), JSON.stringify(approved).slice(0, 200));
    // The digest is not blind: the approval above must change it.
    ctx.check('self-check: a real change (the approval) changes the digest', digest(dataDir).digest !== after.digest);
    await Promise.all([good, ...fuzzers].map((c) => c.close()));
    const stop = await server.stop();
    ctx.check('clean stop', stop.code === 0, JSON.stringify(stop));
    ctx.figure('hostile messages', frames.length);
    ctx.figure('well-behaved p99/max RTT ms', `${p99.toFixed(1)}/${max.toFixed(1)}`);
  },
};

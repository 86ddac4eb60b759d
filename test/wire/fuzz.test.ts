// Fuzz (docs/design.md §4.1): random and malformed messages against every method — wrong types,
// missing fields, huge strings, deep nesting, invalid JSON, binary frames, __proto__ keys.
// Each answer is INVALID_INPUT when the message is invalid (or a correct answer when it
// happens to be valid), the server stays up, and the database is unchanged.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { METHODS, contract, type Method } from '../../src/shared/contract';
import { ERROR_CODES } from '../../src/shared/errors';
import { MAX_PAYLOAD_BYTES } from '../../src/main/transport/websocket';
import { repoServiceFor } from '../../src/main/core/createCore';
import { GitHubService } from '../../src/main/core/github/service';
import { gate } from '../../src/main/core/testing/inProcessExecutor';
import { sandbox, type Sandbox } from '../../src/main/core/testing/gitFixture';
import { WorktreeRuns } from '../../src/main/core/worktree/worktreeRuns';
import { RawClient, databaseDigest, startFixture, type ServerFixture } from './helpers';

/** Methods that change the database when their params are valid: only invalid variants are sent. */
const MUTATING = new Set<Method>([
  'repos.add', 'repos.remove', 'worktrees.create', 'worktrees.remove', 'workflows.start', 'workflows.approve',
  'workflows.reject', 'workflows.cancel', 'workflows.cancelAll', 'settings.set', 'permissions.decide', 'permissions.forget',
]);

const KEYS: Record<Method, string[]> = Object.fromEntries(
  METHODS.map((m) => {
    const shape = (contract[m].params as unknown as { shape?: Record<string, unknown>; def?: { in?: { shape?: Record<string, unknown> } } });
    const keys = Object.keys(shape.shape ?? {});
    return [m, keys.length ? keys : m === 'events.list' ? ['workflowId', 'afterSequence', 'beforeSequence', 'limit'] : []];
  }),
) as Record<Method, string[]>;

type Msg = { text: string; binary: boolean; id: string | number | null; method: string | null; params: string | null };

/**
 * Rule 13's operations start processes or delete worktrees when they succeed: their well-formed
 * requests aim only at things that are not a linked worktree of an added repository (a path that
 * does not exist, a relative one, a plain folder, a main worktree) or a repository nobody added,
 * so each must get a typed error and change nothing.
 */
const AIMED_AT_NOTHING = ['worktrees.rerunSetup', 'worktrees.runStart', 'worktrees.runStop', 'worktrees.removeStale'] as const satisfies readonly Method[];
const targets = { paths: [] as string[], repoIds: ['00000000-0000-4000-8000-000000000000', 'no-such-repo'] };
const aimedAtNothing = fc.constantFrom(...AIMED_AT_NOTHING).chain((method) =>
  fc
    .tuple(method === 'worktrees.removeStale' ? fc.constantFrom(...targets.repoIds).map((repoId) => ({ repoId })) : fc.constantFrom(...targets.paths).map((worktreePath) => ({ worktreePath })), fc.integer())
    .map(([p, id]): Msg => {
      const params = JSON.stringify(p);
      return { text: `{"id":${id},"method":"${method}","params":${params}}`, binary: false, id, method, params };
    }),
);

let fx: ServerFixture;
let c: RawClient;
let blockedId: string;
let box: Sandbox;
let runs: WorktreeRuns;
let repos: ReturnType<typeof repoServiceFor>;

beforeAll(async () => {
  fx = await startFixture({
    core: (h) => {
      runs = new WorktreeRuns({
        db: h.storage.db,
        executor: h.executor,
        settings: () => h.orch.settings(),
        publish: (workflowId, events) => h.orch.bus.emit('events', { workflowId, events }),
        activeWorkflowId: (path) => h.orch.activeWorkflowId(path),
        reservedFor: (path) => h.orch.reservation(path),
      });
      repos = repoServiceFor(h.orch, h.storage.db, undefined, runs);
      // Every service the real core has (createCore), GitHub's too: without it a valid tracker.*
      // request was answered INTERNAL, which only the fuzzer's rare valid ones showed. No token.
      const github = new GitHubService({ orchestrator: h.orch, repos, storage: h.storage, token: { env: {}, ghToken: async () => null } });
      return { orchestrator: h.orch, repos, worktreeRuns: runs, github };
    },
  });
  // A real added repository: its main worktree is never a target of setup or run commands.
  box = sandbox();
  const main = await box.repo('fuzzed');
  await repos.add(main);
  targets.paths.push(main, `${main}.missing/wt`, '/nonexistent/switchyard/wt', 'relative/wt', fx.h.worktree('plain'));
  // Some data to read: one blocked workflow, one completed, one running (held in its stage).
  const h = fx.h;
  const blocked = await h.orch.start({ worktreePath: h.worktree('blocked'), issueId: 'B-1' });
  await h.waitFor(blocked.id, 'blocked');
  blockedId = blocked.id;
  const done = await h.orch.start({ worktreePath: h.worktree('done'), issueId: 'D-1' });
  await h.waitFor(done.id, 'blocked');
  h.orch.approve(done.id);
  await h.waitFor(done.id, 'completed');
  const hold = gate();
  h.executor.set('plan', hold.handler);
  await h.orch.start({ worktreePath: h.worktree('running'), issueId: 'R-1' });
  await hold.started;
  c = await RawClient.open(fx.server);
});
afterAll(async () => {
  await c?.close();
  await runs?.close();
  await fx?.close();
  box?.cleanup();
});

const HUGE = fc.integer({ min: 5_000, max: 300_000 }).map((n) => 'x'.repeat(n));
const deep = fc.integer({ min: 50, max: 20_000 }).chain((depth) =>
  fc.constantFrom('[', '{"a":').map((open) => (open === '[' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth))),
);
/** A JSON value as text: random values, huge strings, deep nesting, hostile numbers. */
const jsonText = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: HUGE.map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.constantFrom('1e400', '-0', '1.5', '-1', '9007199254740993', '""', '" "', 'true', 'null', '"/"', '"../etc"', '"\\u0000"') },
);

/** Params for a method as JSON text: built from its own keys, with wrong, missing and extra entries. */
const paramsText = (method: Method) =>
  fc.oneof(
    { weight: 1, arbitrary: jsonText },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.subarray(KEYS[method]),
          fc.array(jsonText, { minLength: 4, maxLength: 4 }),
          fc.option(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'toString', ''), { nil: undefined }),
          jsonText,
        )
        .map(([keys, values, extra, extraValue]) => {
          const entries = keys.map((k, i) => `${JSON.stringify(k)}:${values[i % values.length]}`);
          if (extra !== undefined) entries.push(`${JSON.stringify(extra)}:${extraValue}`);
          return `{${entries.join(',')}}`;
        }),
    },
  );

const message: fc.Arbitrary<Msg> = fc.oneof(
  // Well-formed requests of rule 13's operations, aimed at nothing.
  { weight: 2, arbitrary: aimedAtNothing },
  // A request to a real method with fuzzed params.
  {
    weight: 12,
    arbitrary: fc
      .tuple(fc.constantFrom(...METHODS), fc.oneof(fc.integer(), fc.string({ maxLength: 20 })))
      .chain(([method, id]) => paramsText(method).map((params) => ({ text: `{"id":${JSON.stringify(id)},"method":"${method}","params":${params}}`, binary: false, id, method, params }))),
  },
  // Broken envelopes: unknown methods, bad ids, extra keys, non-objects.
  {
    weight: 2,
    arbitrary: fc.tuple(jsonText, fc.string({ maxLength: 30 }), jsonText).map(([id, method, params]) => ({
      text: `{"id":${id},"method":${JSON.stringify(method)},"params":${params}}`,
      binary: false,
      id: null,
      method: null,
      params: null,
    })),
  },
  { weight: 1, arbitrary: jsonText.map((text) => ({ text, binary: false, id: null, method: null, params: null })) },
  // Invalid JSON (cut or garbage) and binary frames.
  {
    weight: 2,
    arbitrary: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"id":1,', '{"id":1,"method":"settings.get","params":{}', '\u0000', '[[[', ''))
      .filter((t) => {
        try {
          JSON.parse(t);
          return false;
        } catch {
          return true;
        }
      })
      .map((text) => ({ text, binary: false, id: null, method: null, params: null })),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => ({ text: Buffer.from(b).toString('latin1'), binary: true, id: null, method: null, params: null })) },
);

/** The answer the contract requires for a message, checked against the real answer. */
function check(msg: Msg, answer: Record<string, unknown>): void {
  const error = answer.error as { code: string; message: string } | undefined;
  if (msg.method === null) {
    // Whole-message faults: INVALID_INPUT, unless the text happened to be a valid request.
    if (error) expect(error.code).toBe('INVALID_INPUT');
    return;
  }
  const method = msg.method as Method;
  let parsed: unknown;
  try {
    parsed = JSON.parse(msg.params!);
  } catch {
    parsed = Symbol('unparseable');
  }
  const valid = typeof parsed !== 'symbol' && contract[method].params.safeParse(parsed).success;
  if (!valid) {
    expect(answer.id).toEqual(msg.id);
    expect(error?.code, `${method} ${msg.params!.slice(0, 200)}`).toBe('INVALID_INPUT');
    return;
  }
  if (error) {
    // A valid request about something that does not exist: a typed answer, never INTERNAL.
    expect(ERROR_CODES).toContain(error.code);
    expect(['INVALID_INPUT', 'NOT_FOUND']).toContain(error.code);
  } else {
    expect(contract[method].result.safeParse(answer.result).success).toBe(true);
  }
}

it('1,200 random and malformed messages: INVALID_INPUT or a correct answer, server up, database unchanged', { timeout: 120_000 }, async () => {
  const before = databaseDigest(fx.h);
  let sent = 0;
  const wellFormed = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(message, async (msg) => {
      if (msg.method !== null && MUTATING.has(msg.method as Method)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(msg.params!);
        } catch {
          parsed = undefined;
        }
        fc.pre(parsed === undefined || !contract[msg.method as Method].params.safeParse(parsed).success);
      }
      // A frame past the payload limit closes this connection instead of being answered; that
      // case has its own test below. Nine keys of up to four 300 KB values can get there.
      fc.pre(Buffer.byteLength(msg.text, msg.binary ? 'latin1' : 'utf8') < MAX_PAYLOAD_BYTES);
      sent++;
      if (msg.method !== null && (AIMED_AT_NOTHING as readonly string[]).includes(msg.method) && contract[msg.method as Method].params.safeParse(JSON.parse(msg.params!)).success) {
        wellFormed.set(msg.method, (wellFormed.get(msg.method) ?? 0) + 1);
      }
      const answer = await c.sendRaw(msg.binary ? Buffer.from(msg.text, 'latin1') : msg.text, msg.method === null ? undefined : msg.id, msg.binary);
      check(msg, answer as unknown as Record<string, unknown>);
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 1_200), seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
  );
  expect(sent).toBeGreaterThanOrEqual(1_000);
  // Rule 13's operations were reached with well-formed requests too, not only refused by the schema.
  for (const m of AIMED_AT_NOTHING) expect(wellFormed.get(m) ?? 0, m).toBeGreaterThanOrEqual(10);
  // Still up and still answering; nothing was written; no internal error on the way.
  expect(await c.ok('workflows.get', { workflowId: blockedId })).toMatchObject({ status: 'blocked' });
  expect(databaseDigest(fx.h)).toBe(before);
  expect(fx.internalErrors).toEqual([]);
});

it('an oversized frame closes only that connection (1009); the server keeps serving', async () => {
  const big = await RawClient.open(fx.server);
  big.ws.send(JSON.stringify({ id: 1, method: 'settings.get', params: { pad: 'x'.repeat(1024 * 1024 + 10) } }));
  expect((await big.closed).code).toBe(1009);
  expect(await c.ok('workflows.active', {})).toHaveLength(2);
});

it('invalid UTF-8 in a text frame closes that connection (1007); the server keeps serving', async () => {
  const bad = await RawClient.open(fx.server);
  // A text frame with bytes that are not UTF-8: ws's sender does not validate, the receiver must.
  bad.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
  expect((await bad.closed).code).toBe(1007);
  expect(await c.ok('settings.get', {})).toMatchObject({ maxConcurrent: 5 });
});

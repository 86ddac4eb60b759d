// Hostile messages: each one is invalid by construction (bad JSON, bad envelope, unknown method,
// or params that break the method's schema: an unknown key, a wrong type, a value out of range),
// or well-formed but aimed at nothing (AIMED_AT_NOTHING), so the server must answer each with an
// error and write nothing.
import fc from 'fast-check';
import { METHOD_NAMES } from '../../../src/shared/methods';
import { SETTINGS_FIELDS, type SettingEditorKind } from '../../../src/shared/settings';
import type { Rng } from './random';

export interface FuzzContext {
  /** A real blocked workflow, so that malformed approve/reject/cancel aim at something live. */
  workflowId: string;
  worktreePath: string;
  repoId: string;
}

type Field = 'path' | 'id' | 'text' | 'int' | 'bool' | 'status' | 'money' | 'optionalPath' | 'accelerators' | 'pipelines' | 'url';

/** How each kind of setting is broken; a new kind of setting fails to compile until it is here. */
const SETTING_FIELD: Record<SettingEditorKind, Field> = {
  integer: 'int',
  money: 'money',
  path: 'optionalPath',
  boolean: 'bool',
  accelerators: 'accelerators',
  pipelines: 'pipelines',
  url: 'url',
};

/** Every key of the settings, from the shared field table: the template can never miss one. */
export const SETTINGS_SET_FIELDS: Readonly<Record<string, Field>> = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f.key, SETTING_FIELD[f.editor.kind]]));

/** A repository id no server knows (ids are UUIDs). */
export const UNKNOWN_REPO_ID = 'fuzz-no-such-repository';
/** An absolute path beside the fuzz worktree that never exists (nothing creates it). */
export const missingPath = (c: FuzzContext) => `${c.worktreePath}.fuzz-missing/wt`;

/**
 * Methods whose valid template is also sent as is: well-formed requests for a worktree that does
 * not exist or a repository nobody added, which must get NOT_FOUND / INVALID_INPUT and change nothing.
 */
export const AIMED_AT_NOTHING: ReadonlySet<string> = new Set(['worktrees.rerunSetup', 'worktrees.runStart', 'worktrees.runStop', 'worktrees.removeStale']);

/** A valid params object per method, and the kind of each field. */
export function template(m: string, c: FuzzContext): [Record<string, unknown>, Record<string, Field>] {
  switch (m) {
    case 'repos.add':
      return [{ path: c.worktreePath }, { path: 'path' }];
    case 'repos.remove':
    case 'worktrees.list':
      return [{ repoId: c.repoId }, { repoId: 'id' }];
    case 'worktrees.create':
      return [{ repoId: c.repoId, branch: 'fuzz-branch' }, { repoId: 'id', branch: 'text', path: 'path', base: 'text' }];
    case 'worktrees.remove':
      return [{ worktreePath: c.worktreePath }, { worktreePath: 'path', force: 'bool' }];
    case 'worktrees.diff':
    case 'pipelines.list':
    case 'workflows.byWorktree':
      return [{ worktreePath: c.worktreePath }, { worktreePath: 'path' }];
    case 'workflows.start':
      return [{ worktreePath: c.worktreePath, issueId: 'FUZZ-1' }, { worktreePath: 'path', issueId: 'text', title: 'text', description: 'text', pipeline: 'text', queue: 'bool' }];
    case 'workflows.get':
    case 'workflows.approve':
      return [{ workflowId: c.workflowId }, { workflowId: 'id' }];
    case 'workflows.reject':
      return [{ workflowId: c.workflowId, feedback: 'fuzz' }, { workflowId: 'id', feedback: 'text', replan: 'bool' }];
    case 'workflows.cancel':
      return [{ workflowId: c.workflowId }, { workflowId: 'id', reason: 'text' }];
    case 'workflows.cancelAll':
      return [{}, { reason: 'text' }];
    case 'workflows.list':
      return [{}, { status: 'status', worktreePath: 'path', limit: 'int', cursor: 'text' }];
    case 'events.list':
      return [{ workflowId: c.workflowId }, { workflowId: 'id', afterSequence: 'int', beforeSequence: 'int', limit: 'int' }];
    case 'settings.set':
      return [{}, { ...SETTINGS_SET_FIELDS }];
    case 'tracker.issues':
      return [{ repoId: c.repoId }, { repoId: 'id', search: 'text' }];
    case 'tracker.link':
      return [{ worktreePath: c.worktreePath }, { worktreePath: 'path' }];
    case 'workflows.startFromIssue':
      return [{ repoId: c.repoId, issueNumber: 1 }, { repoId: 'id', issueNumber: 'int', pipeline: 'text', queue: 'bool' }];
    case 'workflows.ship':
      return [{ workflowId: c.workflowId }, { workflowId: 'id', draft: 'bool' }];
    case 'workflows.fixChecks':
      return [{ worktreePath: c.worktreePath }, { worktreePath: 'path', pipeline: 'text', queue: 'bool' }];
    // Rule 13's operations start processes or delete worktrees when they succeed, so their valid
    // params aim at nothing (AIMED_AT_NOTHING): the server must answer a typed error.
    case 'worktrees.rerunSetup':
    case 'worktrees.runStart':
    case 'worktrees.runStop':
      return [{ worktreePath: missingPath(c) }, { worktreePath: 'path' }];
    case 'worktrees.removeStale':
      return [{ repoId: UNKNOWN_REPO_ID }, { repoId: 'id' }];
    // Rule 11: a decision on a request nobody made, and the rules of the fuzz repository.
    case 'permissions.decide':
      return [
        { workflowId: c.workflowId, requestId: 'fuzz-no-such-request', decision: 'deny' },
        { workflowId: 'id', requestId: 'id', decision: 'text', remember: 'text', message: 'text' },
      ];
    case 'permissions.rules':
      return [{ repoId: c.repoId }, { repoId: 'id' }];
    case 'permissions.forget':
      return [{ repoId: c.repoId, rule: 'Bash(fuzz)' }, { repoId: 'id', rule: 'text' }];
    default:
      return [{}, {}];
  }
}

const stage = { name: 's', agent: 'a', run: ['x'] };

/**
 * Values of the wrong type or out of range for each kind of field (for every field of that kind:
 * a unit test checks the settings ones against the schema). Never a plausible path string: a
 * schema-valid path could really create or remove something; nor undefined: JSON.stringify would
 * drop the key and leave valid params.
 */
export const WRONG: Readonly<Record<Field, readonly unknown[]>> = {
  path: [42, true, null, [], {}, '', 'x'.repeat(5000)],
  id: [7, false, null, ['a'], {}, '', 'i'.repeat(129)],
  text: [1, true, null, [1], { a: 1 }, 't'.repeat(300_000)],
  int: ['5', -1, 1.5, 1e300, null, true, [], {}, -0.0001],
  bool: ['true', 1, 0, null, {}, []],
  status: ['done', 'RUNNING', 3, null, {}, ''],
  // null means "no limit" / "the default location": valid, so never used here.
  money: ['5', 0, -1, 1e300, true, [], {}, 'none'],
  optionalPath: [42, true, '', [], {}, 'x'.repeat(5000)],
  accelerators: ['Alt+F9', 1, null, [], {}, { toggleWindow: 'Alt+F9' }, { toggleWindow: '', openLatestApproval: 'Alt+F10' }, { toggleWindow: 'Alt+F9', openLatestApproval: 'Alt+F10', extra: 'x' }],
  url: [42, true, '', [], {}, 'not a url', 'ftp://example.com/api', `https://x.example/${'a'.repeat(2100)}`],
  pipelines: [[], 'x', 1, null, true, { 'bad name': { stages: [stage] } }, { ok: { stages: [] } }, { ok: 'x' }, { ok: { stages: [stage], extra: 1 } }],
};

/** A value of the wrong type (or out of range) for a field. */
function wrong(kind: Field, rng: Rng, pool: unknown[]): unknown {
  const weird = rng.pick(pool);
  if (kind === 'path') return rng.pick([...WRONG.path, weird === undefined || typeof weird === 'string' ? 0 : weird]);
  return rng.pick(WRONG[kind]);
}

/** `count` hostile frames (strings); each must get exactly one error answer. */
export function hostileFrames(count: number, rng: Rng, c: FuzzContext): string[] {
  const pool = fc.sample(fc.anything({ withNullPrototype: false, maxDepth: 3 }), { numRuns: 300, seed: rng.int(1, 1e9) });
  const frames: string[] = [];
  let id = 1_000_000;
  const methods = [...METHOD_NAMES];
  while (frames.length < count) {
    const kind = rng.int(0, 9);
    const m = rng.pick(methods);
    const [valid, fields] = template(m, c);
    const nextId = id++;
    if (kind === 0) {
      // Not JSON at all.
      frames.push(rng.pick(['{', '}{', '{"id":1,"method":"workflows.get"', 'null null', '\u0000\u0001', 'nul', '{"id":1,}', String.fromCharCode(0xd800)]) + rng.int(0, 9));
    } else if (kind === 1) {
      // JSON, but not a request object.
      frames.push(JSON.stringify(rng.pick([null, 1, 'workflows.get', [{ id: 1, method: 'workflows.get' }], true, []])));
    } else if (kind === 2) {
      // A broken envelope: bad id, missing or wrong method, an extra key.
      const env = rng.pick<Record<string, unknown>>([
        { id: { nested: 1 }, method: m, params: valid },
        { id: true, method: m, params: valid },
        { id: 'x'.repeat(201), method: m, params: valid },
        { id: nextId, params: valid },
        { id: nextId, method: 42, params: valid },
        { id: nextId, method: m, params: valid, extra: 1 },
        { method: m, params: valid },
      ]);
      frames.push(JSON.stringify(env));
    } else if (kind === 3) {
      // Methods that do not exist.
      const name = rng.pick(['__proto__', 'constructor', 'toString', `${m} `, m.toUpperCase(), 'workflows.delete', 'events.emit', 'hasOwnProperty', 'x'.repeat(101)]);
      frames.push(JSON.stringify({ id: nextId, method: name, params: valid }));
    } else if (kind === 4) {
      // Params that are not an object.
      frames.push(JSON.stringify({ id: nextId, method: m, params: rng.pick([[], 'params', 5, true, [valid]]) }));
    } else if (kind === 5 || kind === 6) {
      // A valid object plus an unknown key (strict schemas refuse it), __proto__ included.
      const key = rng.pick(['__proto__', 'constructor', 'prototype', 'extra', 'workflowID', 'status', '']);
      const body = JSON.stringify(valid).slice(0, -1);
      const value = JSON.stringify(rng.pick(pool) ?? null) ?? 'null';
      const known = Object.keys(fields).includes(key);
      const k = known ? `${key}_x` : key;
      frames.push(`{"id":${nextId},"method":${JSON.stringify(m)},"params":${body}${body.length > 1 ? ',' : ''}${JSON.stringify(k)}:${value}}}`);
    } else if (AIMED_AT_NOTHING.has(m) && rng.chance(0.3)) {
      // Well-formed, but about nothing that exists.
      frames.push(JSON.stringify({ id: nextId, method: m, params: valid }));
    } else {
      // One field of the wrong type or out of range.
      const names = Object.keys(fields);
      if (names.length === 0) {
        frames.push(JSON.stringify({ id: nextId, method: m, params: { unexpected: rng.pick(pool) ?? null } }));
        continue;
      }
      const f = rng.pick(names);
      const p = { ...valid, [f]: wrong(fields[f]!, rng, pool) };
      if (m === 'events.list' && rng.chance(0.3)) Object.assign(p, { afterSequence: 1, beforeSequence: 2 });
      if (m === 'workflows.reject' && rng.chance(0.3)) Object.assign(p, { feedback: rng.pick(['', '   ', '\n\t']) });
      frames.push(JSON.stringify({ id: nextId, method: m, params: p }));
    }
  }
  return frames;
}

/** What a well-formed GitHub call must answer on a server with no token (docs/github.md#errors). */
export type GitHubExpectation = { code: 'UNAUTHORIZED'; github: 'no_token' } | { code: 'NOT_FOUND' } | { result: null };

/**
 * Well-formed calls of rule 12's methods that stay on this machine: the server has no GitHub token,
 * so each one that would talk to GitHub must stop at the typed `no_token` error before any request
 * (and before any commit, branch or worktree); a worktree with no linked pull request has no PR
 * to read (`tracker.link` null) or fix (`workflows.fixChecks` NOT_FOUND). `completedWorkflowId` is a
 * completed workflow, so ship gets past its status check to the token.
 */
export function githubCalls(c: FuzzContext & { completedWorkflowId: string }): Array<{ method: string; params: Record<string, unknown>; expect: GitHubExpectation }> {
  const noToken = { code: 'UNAUTHORIZED', github: 'no_token' } as const;
  return [
    { method: 'tracker.issues', params: { repoId: c.repoId }, expect: noToken },
    { method: 'tracker.issues', params: { repoId: c.repoId, search: 'fuzz #1' }, expect: noToken },
    { method: 'workflows.startFromIssue', params: { repoId: c.repoId, issueNumber: 1 }, expect: noToken },
    { method: 'workflows.startFromIssue', params: { repoId: c.repoId, issueNumber: 2_147_483_647, pipeline: 'storm', queue: false }, expect: noToken },
    { method: 'workflows.ship', params: { workflowId: c.completedWorkflowId }, expect: noToken },
    { method: 'workflows.ship', params: { workflowId: c.completedWorkflowId, draft: true }, expect: noToken },
    { method: 'tracker.link', params: { worktreePath: c.worktreePath }, expect: { result: null } },
    { method: 'workflows.fixChecks', params: { worktreePath: c.worktreePath }, expect: { code: 'NOT_FOUND' } },
  ];
}

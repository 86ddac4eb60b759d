import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SwitchyardError } from '../../../shared/errors';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings';
import { makeHarness, type Harness } from '../testing/harness';
import { FilePipelineSource } from './filePipelineSource';
import { BUILTIN_PIPELINES } from '../agents/registry';
import { ProcessExecutor } from './processExecutor';
import { tempDir } from '../testing/pipelineFixtures';

let dir: string;
let bin: string;
let worktree: string;
beforeEach(() => {
  dir = tempDir();
  bin = join(dir, 'bin');
  worktree = join(dir, 'wt');
  mkdirSync(bin);
  mkdirSync(join(worktree, '.switchyard'), { recursive: true });
});

/** A fake CLI on the test PATH. */
function install(name: string): void {
  writeFileSync(join(bin, name), '#!/bin/sh\nexit 0\n');
  chmodSync(join(bin, name), 0o755);
}
const source = () => new FilePipelineSource({ path: () => bin });
const settings = (patch: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...patch });
const writeFile = (text: string) => writeFileSync(join(worktree, '.switchyard/pipelines.json'), text);
const file = () => join(worktree, '.switchyard/pipelines.json');

async function errorOf(p: Promise<unknown>): Promise<SwitchyardError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SwitchyardError);
    return e as SwitchyardError;
  }
  throw new Error('expected an error');
}

describe('.switchyard/pipelines.json errors', () => {
  it('a syntax error names the file, the line and the column', async () => {
    writeFile('{\n  "pipelines": {\n    "default": { "stages": [ } }\n}');
    const e = await errorOf(source().resolve(worktree, 'default', settings()));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe(
      `${file()}: JSON syntax error at line 3 column 30: unexpected "}": a value (object, array, string, number, true, false or null) was expected`,
    );
  });

  it('a trailing comma and a duplicate key are syntax errors too', async () => {
    writeFile('{"pipelines": {"a": {"stages": []},}}');
    expect((await errorOf(source().list(worktree, settings()))).message).toContain('line 1 column 36: trailing comma before "}"');
    writeFile('{"pipelines": {"a": {"stages": []}, "a": {"stages": []}}}');
    expect((await errorOf(source().list(worktree, settings()))).message).toContain('line 1 column 37: duplicate key "a"');
  });

  it('an unknown key names the JSON path and the key', async () => {
    writeFile(JSON.stringify({ pipelines: { default: { stages: [{ name: 'plan', agent: 'architect', run: ['x'], captureAs: 'plan', rn: ['y'] }] } } }, null, 2));
    const e = await errorOf(source().resolve(worktree, 'default', settings()));
    // Pretty-printed: `"rn": [` is line 12, its value starts at column 17.
    expect(e.message).toBe(`${file()}: invalid pipeline definition: line 12 column 17, at pipelines.default.stages[0]: unknown key "rn"`);
    expect(e.details?.problems).toEqual([{ path: 'pipelines.default.stages[0]', line: 12, column: 17, message: 'unknown key "rn"' }]);
  });

  it('a missing run says what run is', async () => {
    writeFile(JSON.stringify({ pipelines: { default: { stages: [{ name: 'plan', agent: 'architect' }] } } }));
    const e = await errorOf(source().resolve(worktree, 'default', settings()));
    expect(e.message).toBe(
      `${file()}: invalid pipeline definition: line 1 column 36, at pipelines.default.stages[0].run: required: the program and its arguments, e.g. ["claude", "-p", "{prompt}"]`,
    );
  });

  it('a gate as the first stage is refused with the reason', async () => {
    writeFile(JSON.stringify({ pipelines: { default: { stages: [{ name: 'approve', approval: true }, { name: 'x', agent: 'developer', run: ['x'] }] } } }));
    const e = await errorOf(source().resolve(worktree, 'default', settings()));
    expect(e.message).toContain('at pipelines.default.stages[0]: an approval gate cannot be the first stage: nothing has been planned yet');
  });

  it('several problems are all listed, and a captureFrom outside the worktree is refused', async () => {
    writeFile(JSON.stringify({ pipelines: { a: { stages: [{ name: 'p', agent: 'x', run: [], captureAs: 'plan', captureFrom: '../secret' }] }, 'b c': { stages: [] } } }));
    const e = await errorOf(source().list(worktree, settings()));
    expect(e.message).toContain('3 problems');
    expect(e.message).toContain('at pipelines.a.stages[0].run: run needs at least the program');
    expect(e.message).toContain('at pipelines.a.stages[0].captureFrom: must stay inside the worktree');
    expect(e.message).toContain('at pipelines["b c"]: invalid name: letters, digits');
  });
});

describe('continueFrom and budgetUsd in pipelines.json', () => {
  const stage = (name: string, extra: object = {}) => ({ name, agent: 'developer', run: ['x'], output: 'claude-stream-json', ...extra });

  it('continueFrom names this stage or an earlier command stage of the same structured format, else a clear error with its path', async () => {
    writeFile(
      JSON.stringify({
        pipelines: {
          a: {
            stages: [
              stage('plan', { continueFrom: 'plan' }),
              { name: 'approve', approval: true },
              stage('later', { continueFrom: 'review' }),
              stage('gate', { continueFrom: 'approve' }),
              stage('text', { output: 'text', continueFrom: 'plan' }),
              stage('other', { output: 'codex-json', continueFrom: 'plan' }),
              stage('review'),
            ],
          },
        },
      }),
    );
    const e = await errorOf(source().list(worktree, settings()));
    expect(e.message).toContain('4 problems');
    expect(e.message).toContain('at pipelines.a.stages[2].continueFrom: "review" is not this stage or an earlier command stage of this pipeline');
    expect(e.message).toContain('at pipelines.a.stages[3].continueFrom: "approve" is not this stage or an earlier command stage of this pipeline');
    expect(e.message).toContain('at pipelines.a.stages[4].continueFrom: continueFrom needs a structured "output" (claude-stream-json or codex-json)');
    expect(e.message).toContain('at pipelines.a.stages[5].continueFrom: "plan" writes claude-stream-json, this stage codex-json');
    expect(e.message).not.toContain('stages[0]');
  });

  it('a pipeline’s budgetUsd goes into the snapshot a workflow runs; a bad one is refused', async () => {
    install('x');
    writeFile(JSON.stringify({ pipelines: { a: { budgetUsd: 2.5, stages: [stage('plan')] } } }));
    expect(await source().resolve(worktree, 'a', settings())).toMatchObject({ name: 'a', budgetUsd: 2.5 });
    writeFile(JSON.stringify({ pipelines: { a: { budgetUsd: -1, stages: [stage('plan')] } } }));
    expect((await errorOf(source().list(worktree, settings()))).message).toContain('at pipelines.a.budgetUsd');
  });

  it('an output no agent adapter writes is refused with its line, its path and the known formats', async () => {
    writeFile('{"pipelines": {"a": {"stages": [\n  {"name": "x", "agent": "developer", "run": ["x"], "output": "gemini-json"}]}}}');
    const e = await errorOf(source().list(worktree, settings()));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('line 2 column 63, at pipelines.a.stages[0].output: unknown output "gemini-json"; known: text, claude-stream-json, codex-json');
    writeFile(JSON.stringify({ pipelines: {} }));
    const presets = { mine: { stages: [{ name: 'x', agent: 'developer', run: ['x'], output: 'gemini-json' }] } };
    const p = await errorOf(source().list(worktree, settings({ pipelinePresets: presets as Settings['pipelinePresets'] })));
    expect(p.message).toBe('settings: invalid pipeline preset "mine": at pipelinePresets.mine.stages[0].output: unknown output "gemini-json"; known: text, claude-stream-json, codex-json');
  });

  it('the Claude and Codex presets stream structured output and continue the planning session', () => {
    for (const name of ['claude', 'codex']) {
      const stages = BUILTIN_PIPELINES[name]!.stages.filter((s) => !('approval' in s)) as { name: string; output?: string; continueFrom?: string }[];
      expect(stages.map((s) => [s.name, s.output, s.continueFrom])).toEqual([
        ['plan', name === 'claude' ? 'claude-stream-json' : 'codex-json', 'plan'],
        ['implement', name === 'claude' ? 'claude-stream-json' : 'codex-json', 'plan'],
        ['review', name === 'claude' ? 'claude-stream-json' : 'codex-json', undefined],
      ]);
    }
    for (const name of ['aider', 'shell']) expect(BUILTIN_PIPELINES[name]!.stages.some((s) => 'output' in s)).toBe(false);
  });
});

describe('FilePipelineSource', () => {
  it('lists repository pipelines first, then settings presets, then built-ins; a name is taken by the first', async () => {
    install('claude');
    writeFile(JSON.stringify({ pipelines: { mine: { stages: [{ name: 'x', agent: 'developer', run: ['claude'] }] }, codex: { stages: [{ name: 'y', agent: 'developer', run: ['claude'] }] } } }));
    const presets = { preset: { stages: [{ name: 'z', agent: 'developer', run: ['claude'] }] }, mine: { stages: [{ name: 'w', agent: 'developer', run: ['nothere'] }] } };
    const list = await source().list(worktree, settings({ pipelinePresets: presets as Settings['pipelinePresets'] }));
    expect(list.map((p) => [p.name, p.source])).toEqual([
      ['default', 'builtin'],
      ['mine', 'repository'],
      ['codex', 'repository'],
      ['preset', 'settings'],
      ['claude', 'builtin'],
      ['aider', 'builtin'],
      ['shell', 'builtin'],
    ]);
    expect(list.find((p) => p.name === 'codex')!.stages[0]!.name).toBe('y');
  });

  it('marks pipelines whose CLI is missing as unavailable', async () => {
    install('claude');
    const list = await source().list(worktree, settings());
    const by = Object.fromEntries(list.map((p) => [p.name, p.unavailable]));
    expect(by.claude).toBeUndefined();
    expect(by.default).toBeUndefined();
    expect(by.codex).toBe('`codex` not found on PATH; install it or choose another pipeline');
    expect(by.aider).toBe('`aider` not found on PATH; install it or choose another pipeline');
    expect(by.shell).toBe('`./.switchyard/plan.sh` not found in the worktree (or not executable); create it or choose another pipeline');
  });

  it('default is the repository default when there is one, else the Claude Code preset', async () => {
    install('claude');
    install('mytool');
    expect(await source().resolve(worktree, 'default', settings())).toEqual({ name: 'default', stages: BUILTIN_PIPELINES.claude!.stages });
    writeFile(JSON.stringify({ pipelines: { default: { stages: [{ name: 'only', agent: 'developer', run: ['mytool', '{title}'] }] } } }));
    expect(await source().resolve(worktree, 'default', settings())).toEqual({
      name: 'default',
      stages: [{ name: 'only', agent: 'developer', run: ['mytool', '{title}'] }],
    });
  });

  it('refuses a pipeline whose CLI is missing, and an unknown name', async () => {
    const e = await errorOf(source().resolve(worktree, 'default', settings()));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe('`claude` not found on PATH; install it or choose another pipeline');
    const n = await errorOf(source().resolve(worktree, 'nope', settings()));
    expect(n.code).toBe('NOT_FOUND');
    expect(n.message).toMatch(/^No pipeline named "nope"; available: default, claude, codex, aider, shell$/);
  });

  it('finds repository scripts relative to the worktree', async () => {
    for (const s of ['plan', 'implement', 'review']) {
      writeFileSync(join(worktree, `.switchyard/${s}.sh`), '#!/bin/sh\n');
      chmodSync(join(worktree, `.switchyard/${s}.sh`), 0o755);
    }
    expect((await source().resolve(worktree, 'shell', settings())).stages).toHaveLength(4);
  });
});

describe('starting a workflow whose CLI is missing', () => {
  let h: Harness<ProcessExecutor>;
  afterEach(async () => h?.cleanup());

  it('is refused clearly and leaves no workflow behind', async () => {
    h = makeHarness({ executor: new ProcessExecutor(), pipelines: new FilePipelineSource({ path: () => join(h.dir, 'empty-path') }) });
    const wt = h.worktree('wt');
    await expect(h.orch.start({ worktreePath: wt, issueId: 'M-1' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: '`claude` not found on PATH; install it or choose another pipeline',
    });
    expect(h.orch.list().items).toEqual([]);
    expect(h.orch.active()).toEqual([]);
    expect(h.orch.byWorktree(wt)).toBeNull();
  });
});

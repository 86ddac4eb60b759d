import { describe, expect, it } from 'vitest';
import { AGENTS, BUILTIN_PIPELINES, DEFAULT_BUILTIN, KnownPipelineDefSchema, OUTPUT_FORMATS, streamFormat } from './registry';

describe('the agent registry', () => {
  it('derives the output formats and the built-in presets from the adapters', () => {
    expect(OUTPUT_FORMATS.known).toEqual(['text', 'claude-stream-json', 'codex-json']);
    expect(OUTPUT_FORMATS.resumable).toEqual(['claude-stream-json', 'codex-json']);
    expect(Object.keys(BUILTIN_PIPELINES)).toEqual(['claude', 'codex', 'aider', 'shell']);
    expect(BUILTIN_PIPELINES[DEFAULT_BUILTIN]).toBeDefined();
    expect(streamFormat(undefined)).toBeNull();
    expect(streamFormat('text')).toBeNull();
    expect(streamFormat('codex-json')?.format).toBe('codex-json');
    expect(streamFormat('gone-json')).toBeUndefined();
  });

  it('has no two adapters with the same id, format or preset name', () => {
    const ids = AGENTS.map((a) => a.id);
    const presets = AGENTS.flatMap((a) => Object.keys(a.presets));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(presets).size).toBe(presets.length);
    expect(new Set(OUTPUT_FORMATS.known).size).toBe(OUTPUT_FORMATS.known.length);
  });

  it('every preset passes the checks core reads pipelines with', () => {
    for (const [name, def] of Object.entries(BUILTIN_PIPELINES)) expect(KnownPipelineDefSchema.safeParse(def).success, name).toBe(true);
  });

  it('refuses an output no adapter writes, naming the known ones', () => {
    const r = KnownPipelineDefSchema.safeParse({ stages: [{ name: 'x', agent: 'developer', run: ['x'], output: 'gemini-json' }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path, i.message])).toEqual([[['stages', 0, 'output'], 'unknown output "gemini-json"; known: text, claude-stream-json, codex-json']]);
  });
});

describe('a stage\'s permissions (rule 11)', () => {
  it('are accepted for an output whose CLI can ask, refused for one that cannot, with the place and the list', () => {
    expect(OUTPUT_FORMATS.asking).toEqual(['claude-stream-json']);
    const stage = (output?: string) => ({ stages: [{ name: 'x', agent: 'developer', run: ['x'], ...(output ? { output } : {}), permissions: { ask: 'human', allow: ['Bash(npm test:*)'] } }] });
    const ok = KnownPipelineDefSchema.safeParse(stage('claude-stream-json'));
    expect(ok.success).toBe(true);
    for (const output of ['codex-json', undefined]) {
      const r = KnownPipelineDefSchema.safeParse(stage(output));
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]).toMatchObject({ path: ['stages', 0, 'permissions'], message: expect.stringContaining('permissions need the output of one that can: claude-stream-json') });
    }
    const bad = KnownPipelineDefSchema.safeParse({ stages: [{ name: 'x', agent: 'developer', run: ['x'], output: 'claude-stream-json', permissions: { ask: 'sometimes', allow: ['Bash('] } }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['stages.0.permissions.ask', 'stages.0.permissions.allow.0']));
  });
});

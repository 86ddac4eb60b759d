import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../shared/events';
import { OutputCollector } from './outputCollector';
import { EventLogClosedError } from '../eventLog';

/** An emit whose commits the test releases by hand. */
function manualLog() {
  const drafts: EventDraft[] = [];
  const waiting: (() => void)[] = [];
  return {
    drafts,
    waiting,
    emit: (d: EventDraft) => {
      drafts.push(d);
      return new Promise<void>((r) => waiting.push(r));
    },
    releaseAll() {
      waiting.splice(0).forEach((r) => r());
    },
  };
}

const instantLog = () => {
  const drafts: EventDraft[] = [];
  return { drafts, emit: async (d: EventDraft) => void drafts.push(d) };
};

describe('OutputCollector', () => {
  it('coalesces many lines into one event, per stream, with {stream, stage}', async () => {
    const log = instantLog();
    const c = new OutputCollector({ emit: log.emit, agent: 'developer', stage: 'build', budgetBytes: 1024 * 1024, flushMs: 10_000 });
    for (let i = 0; i < 100; i++) c.push('stdout', Buffer.from(`line ${i}\n`));
    c.push('stderr', Buffer.from('warn\n'));
    await c.finish();
    expect(log.drafts).toHaveLength(2);
    expect(log.drafts[0]).toMatchObject({ agent: 'developer', type: 'agent_output', data: { stream: 'stdout', stage: 'build' } });
    expect(log.drafts[0]!.message.split('\n')).toHaveLength(101);
    expect(log.drafts[1]).toMatchObject({ message: 'warn\n', data: { stream: 'stderr' } });
  });

  it('flushes on the timer, holding a partial line for one tick', async () => {
    const log = instantLog();
    const c = new OutputCollector({ emit: log.emit, agent: 'a', stage: 's', budgetBytes: 1024 * 1024, flushMs: 5 });
    c.push('stdout', Buffer.from('one\ntw'));
    await new Promise<void>((r) => {
      const check = setInterval(() => log.drafts.length >= 2 && (clearInterval(check), r()), 1);
    });
    expect(log.drafts.map((d) => d.message)).toEqual(['one\n', 'tw']);
    await c.finish();
  });

  it('bounds every event and never splits a UTF-8 character', async () => {
    const log = instantLog();
    const c = new OutputCollector({ emit: log.emit, agent: 'a', stage: 's', budgetBytes: 1024 * 1024, maxEventBytes: 100, flushMs: 10_000 });
    const text = 'é'.repeat(500); // 1000 bytes, no newline
    c.push('stdout', Buffer.from(text));
    await c.finish();
    for (const d of log.drafts) expect(Buffer.byteLength(d.message)).toBeLessThanOrEqual(100);
    expect(log.drafts.map((d) => d.message).join('')).toBe(text);
  });

  it('pauses the streams while emits wait for their commit, and resumes after', async () => {
    const log = manualLog();
    const pressure: boolean[] = [];
    const c = new OutputCollector({
      emit: log.emit,
      agent: 'a',
      stage: 's',
      budgetBytes: 1024 * 1024,
      maxEventBytes: 10,
      maxInFlight: 4,
      onPressure: (p) => pressure.push(p),
    });
    for (let i = 0; i < 4; i++) c.push('stdout', Buffer.from('123456789\n'));
    expect(pressure).toEqual([true]);
    log.releaseAll();
    await new Promise((r) => setImmediate(r));
    expect(pressure).toEqual([true, false]);
    const done = c.finish();
    log.releaseAll();
    await done;
  });

  it('past the budget keeps the head and a rolling tail, and reports what it dropped', async () => {
    const log = instantLog();
    const budget = 64 * 1024;
    const c = new OutputCollector({ emit: log.emit, agent: 'a', stage: 'flood', budgetBytes: budget, flushMs: 10_000 });
    let total = 0;
    for (let i = 0; i < 10_000; i++) {
      const line = Buffer.from(`line ${i}\n`);
      total += line.length;
      c.push(i % 2 ? 'stderr' : 'stdout', line);
    }
    const stats = await c.finish();
    const warnings = log.drafts.filter((d) => d.type === 'system_warning');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]!.data).toMatchObject({ final: false, budgetBytes: budget });
    expect(warnings[1]!.data).toMatchObject({ final: true, droppedBytes: stats.droppedBytes });
    const out = log.drafts.filter((d) => d.type === 'agent_output');
    const kept = out.reduce((n, d) => n + Buffer.byteLength(d.message), 0);
    expect(kept).toBeLessThanOrEqual(budget);
    expect(kept + stats.droppedBytes).toBe(total);
    expect(out[0]!.message.startsWith('line 0\n')).toBe(true);
    expect(out.filter((d) => d.data?.tail).map((d) => d.message).join('')).toMatch(/line 9999\n$/);
    // Order: head, the notice, the final figure, the tail.
    const kinds = log.drafts.map((d) => (d.type === 'system_warning' ? 'W' : d.data?.tail ? 'T' : 'H'));
    expect(kinds.join('').replace(/H+/, 'H').replace(/T+/, 'T')).toBe('HWWT');
  });

  it('copies what it keeps: the pushed buffer may be reused at once (output is read into one buffer)', async () => {
    const log = instantLog();
    const c = new OutputCollector({ emit: log.emit, agent: 'a', stage: 's', budgetBytes: 64 * 1024, flushMs: 10_000 });
    const reused = Buffer.alloc(1000);
    const streamOf = (i: number) => (i % 3 === 0 ? 'stderr' : 'stdout');
    for (let i = 0; i < 300; i++) {
      reused.write(`${String(i).padStart(5, '0')} ${'x'.repeat(993)}\n`); // exactly 1000 bytes
      c.push(streamOf(i), reused);
    }
    await c.finish();
    const out = log.drafts.filter((d) => d.type === 'agent_output');
    const seen = new Set<number>();
    for (const d of out) {
      const lines = d.message.split('\n').slice(0, -1);
      for (const [k, line] of lines.entries()) {
        const cut = k === 0 && d.data?.tail && out.findIndex((o) => o.data?.tail) === out.indexOf(d); // the tail may start mid-line
        if (cut && line.length !== 999) continue;
        expect(line).toMatch(/^\d{5} x{993}$/);
        const i = Number(line.slice(0, 5));
        expect(seen.has(i)).toBe(false);
        seen.add(i);
        expect(d.data?.stream).toBe(streamOf(i));
      }
    }
    expect(seen.has(0)).toBe(true);
    expect(seen.has(299)).toBe(true);
  });

  it('bounds the bytes it takes in one turn of the event loop: pauses, then resumes on the next turn', async () => {
    const log = instantLog();
    const pressure: boolean[] = [];
    const c = new OutputCollector({
      emit: log.emit,
      agent: 'a',
      stage: 's',
      budgetBytes: 10 * 1024 * 1024,
      maxInFlight: 1000,
      maxBytesPerTurn: 100 * 1024,
      flushMs: 10_000,
      onPressure: (p) => pressure.push(p),
    });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    c.push('stdout', chunk);
    expect(pressure).toEqual([]);
    c.push('stdout', chunk);
    expect(pressure).toEqual([true]);
    await new Promise((r) => setImmediate(r));
    expect(pressure).toEqual([true, false]);
    c.push('stdout', chunk); // a new turn, a new allowance
    expect(pressure).toEqual([true, false]);
    await c.finish();
  });

  it('emits nothing once silenced (cancelled)', async () => {
    const log = instantLog();
    const c = new OutputCollector({ emit: log.emit, agent: 'a', stage: 's', budgetBytes: 1024 * 1024, flushMs: 10_000 });
    c.push('stdout', Buffer.from('before\n'));
    c.silence();
    c.push('stdout', Buffer.from('after\n'));
    await c.finish();
    expect(log.drafts).toEqual([]);
  });

  it('keeps recording after the log refused some events, and says what was lost', async () => {
    const stored: EventDraft[] = [];
    let refuse = true;
    let refused = 0;
    let twoRefused!: () => void;
    const bothRefused = new Promise<void>((r) => (twoRefused = r));
    const c = new OutputCollector({
      emit: async (d) => {
        if (refuse) {
          if (++refused === 2) twoRefused();
          throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        }
        stored.push(d);
      },
      flushMs: 1,
      agent: 'a',
      stage: 's',
      budgetBytes: 1024 * 1024,
      maxEventBytes: 10,
    });
    c.push('stdout', Buffer.from('lost one\n'));
    c.push('stdout', Buffer.from('lost two\n'));
    await bothRefused;
    refuse = false;
    c.push('stdout', Buffer.from('kept\n'));
    await c.finish();
    expect(stored.filter((d) => d.type === 'agent_output').map((d) => d.message)).toEqual(['kept\n']);
    const warnings = stored.filter((d) => d.type === 'system_warning').map((d) => d.data!);
    expect(warnings.every((w) => w.reason === 'output_lost' && w.error === 'database is locked')).toBe(true);
    expect(warnings.reduce((n, w) => n + (w.lostEvents as number), 0)).toBe(2);
    expect(warnings.reduce((n, w) => n + (w.lostBytes as number), 0)).toBe(18);
  });

  it('stops writing, without throwing, once the log is closed', async () => {
    let calls = 0;
    const c = new OutputCollector({
      emit: () => (calls++, Promise.reject(new EventLogClosedError())),
      agent: 'a',
      stage: 's',
      budgetBytes: 1024 * 1024,
      maxEventBytes: 10,
    });
    c.push('stdout', Buffer.from('123456789\n'));
    await new Promise((r) => setImmediate(r));
    c.push('stdout', Buffer.from('123456789\n'));
    await c.finish();
    expect(calls).toBe(1);
  });
});

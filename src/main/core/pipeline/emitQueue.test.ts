import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../shared/events';
import { EventLogClosedError } from '../eventLog';
import { EmitQueue } from './emitQueue';

const draft = (message: string): EventDraft => ({ agent: 'a', type: 'agent_output', message });

/** An emit whose commits the test releases one by one. */
function gated() {
  const waiting: { resolve(): void; reject(e: unknown): void }[] = [];
  const emit = (_d: EventDraft) => new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
  return { emit, waiting };
}

describe('EmitQueue', () => {
  it('asks for a pause at maxInFlight waiting commits and a resume at half of it', async () => {
    const g = gated();
    const pressure: boolean[] = [];
    const q = new EmitQueue({ emit: g.emit, maxInFlight: 4, onPressure: (p) => pressure.push(p), onLost: () => undefined, onClosed: () => undefined });
    for (let i = 0; i < 5; i++) q.send(draft(String(i)));
    expect(pressure).toEqual([true]);
    expect(q.pressured).toBe(true);
    g.waiting.shift()!.resolve();
    g.waiting.shift()!.resolve();
    await Promise.resolve().then(() => undefined);
    await new Promise((r) => setImmediate(r));
    expect(pressure).toEqual([true]); // 3 still wait: above half
    g.waiting.shift()!.resolve();
    await new Promise((r) => setImmediate(r));
    expect(pressure).toEqual([true, false]);
    for (const w of g.waiting.splice(0)) w.resolve();
    await q.settle();
  });

  it('reports a refused event as lost, a closed log as closed, and settles after both', async () => {
    const g = gated();
    const lost: string[] = [];
    let closed = 0;
    let committed = 0;
    const q = new EmitQueue({
      emit: g.emit,
      maxInFlight: 10,
      onPressure: () => undefined,
      onCommitted: () => committed++,
      onLost: (d, e) => lost.push(`${d.message}: ${(e as Error).message}`),
      onClosed: () => closed++,
    });
    q.send(draft('one'));
    q.send(draft('two'));
    q.send(draft('three'));
    g.waiting[0]!.resolve();
    g.waiting[1]!.reject(new Error('database is locked'));
    g.waiting[2]!.reject(new EventLogClosedError());
    await q.settle();
    expect({ committed, lost, closed }).toEqual({ committed: 1, lost: ['two: database is locked'], closed: 1 });
  });
});

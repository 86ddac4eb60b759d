import { describe, expect, it } from 'vitest';
import { event } from '../testing/fakeClient';
import { assignSlots, recyclable } from './rowSlots';

describe('assignSlots', () => {
  it('keeps the slot of a row that stays drawn, and gives new rows the slots rows that left freed', () => {
    const first = assignSlots(new Map(), [10, 11, 12, 13]);
    expect([...first]).toEqual([[10, 0], [11, 1], [12, 2], [13, 3]]);
    // Scrolled down by two rows: 12 and 13 stay where they were; 14 and 15 take 10's and 11's slots.
    const next = assignSlots(first, [12, 13, 14, 15]);
    expect([...next]).toEqual([[12, 2], [13, 3], [14, 0], [15, 1]]);
  });

  it('reuses every slot on a jump, and adds slots only when more rows are drawn', () => {
    const before = assignSlots(new Map(), [1, 2, 3]);
    const jumped = assignSlots(before, [500, 501, 502, 503]);
    expect(new Set(jumped.values())).toEqual(new Set([0, 1, 2, 3]));
  });

  it('never gives two rows drawn together the same slot', () => {
    let slots = new Map<number, number>();
    for (const [from, to] of [[0, 30], [5, 40], [100, 120], [110, 150], [0, 10], [3, 33]] as const) {
      const ids = Array.from({ length: to - from }, (_, i) => from + i);
      slots = assignSlots(slots, ids);
      expect(new Set(slots.values()).size).toBe(ids.length);
      expect([...slots.keys()]).toEqual(ids);
    }
  });
});

describe('recyclable', () => {
  const row = (type: Parameters<typeof event>[2]['type'], message = 'x') => recyclable(event('w', 1, { type, message }));

  it('is true for rows with nothing of their own: plain output, lifecycle and status lines', () => {
    expect(row('agent_output', 'one line')).toBe(true);
    expect(row('agent_output', 'a\nb\nc')).toBe(true);
    expect(row('workflow_started')).toBe(true);
    expect(row('stage_completed')).toBe(true);
    expect(row('system_warning')).toBe(true);
  });

  it('is false for rows that can be opened, answered or focused: their state belongs to one event', () => {
    expect(row('agent_message')).toBe(false);
    expect(row('tool_call')).toBe(false);
    expect(row('tool_result')).toBe(false);
    expect(row('permission_requested')).toBe(false);
  });

  it('is false for output that may scroll inside its box (its scroll position is its own)', () => {
    expect(row('agent_output', Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n'))).toBe(false);
    expect(row('agent_output', 'x'.repeat(5_000))).toBe(false);
  });
});

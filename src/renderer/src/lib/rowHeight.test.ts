import { describe, expect, it } from 'vitest';
import { event } from '../testing/fakeClient';
import { estimateRowHeight, lineCount, MESSAGE_LINES, ROW_HEIGHT } from './rowHeight';

describe('estimateRowHeight', () => {
  it('counts lines up to a limit', () => {
    expect(lineCount('a', 5)).toBe(1);
    expect(lineCount('a\nb\nc', 5)).toBe(3);
    expect(lineCount('\n'.repeat(100), 5)).toBe(5);
  });
  it('guesses one line for one-line rows and more for tall messages and output', () => {
    expect(estimateRowHeight(event('w', 1, { type: 'tool_call', message: 'Write a' }))).toBe(ROW_HEIGHT);
    expect(estimateRowHeight(event('w', 1, { type: 'agent_message', message: 'short' }))).toBe(ROW_HEIGHT);
    const five = estimateRowHeight(event('w', 1, { type: 'agent_message', message: 'a\nb\nc\nd\ne' }));
    expect(five).toBeGreaterThan(3 * ROW_HEIGHT);
    expect(estimateRowHeight(event('w', 1, { type: 'agent_output', message: 'a\nb\nc\nd' }))).toBeGreaterThan(2 * ROW_HEIGHT);
  });
  it('gives short and long output the same estimate whichever path finds it', () => {
    const line = (message: string) => estimateRowHeight(event('w', 1, { type: 'agent_output', message }));
    expect(line('one short line')).toBe(ROW_HEIGHT);
    expect(line('x'.repeat(400))).toBe(ROW_HEIGHT);
    expect(line('short\nbut two')).toBe(line(`${'x'.repeat(400)}\n${'y'.repeat(400)}`));
    expect(line('short\nbut two')).toBeGreaterThan(ROW_HEIGHT);
  });
  it('stops at what a collapsed row shows', () => {
    const long = estimateRowHeight(event('w', 1, { type: 'agent_message', message: 'x\n'.repeat(500) }));
    expect(long).toBe(7 + 20 * MESSAGE_LINES + 24);
  });
});

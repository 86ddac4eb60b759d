import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../../shared/events';
import { filterEvents, isFiltering, NO_FILTER } from './eventFilter';

const ev = (sequence: number, type: WorkflowEvent['type'], agent: string, message: string): WorkflowEvent => ({
  id: `e${sequence}`, workflowId: 'w', sequence, timestamp: '2025-01-01T00:00:00Z', type, agent, message,
});
const events = [
  ev(1, 'workflow_started', 'system', 'Workflow started'),
  ev(2, 'agent_output', 'architect', 'Reading the Code'),
  ev(3, 'agent_output', 'developer', 'writing code'),
  ev(4, 'file_modified', 'developer', 'src/app.ts'),
];

describe('filterEvents', () => {
  it('returns the same array when nothing filters', () => {
    expect(filterEvents(events, NO_FILTER)).toBe(events);
    expect(isFiltering({ ...NO_FILTER, text: '   ' })).toBe(false);
  });
  it('filters by type, by agent and by case-insensitive text, all together', () => {
    expect(filterEvents(events, { ...NO_FILTER, types: ['agent_output'] }).map((e) => e.sequence)).toEqual([2, 3]);
    expect(filterEvents(events, { ...NO_FILTER, agents: ['developer'] }).map((e) => e.sequence)).toEqual([3, 4]);
    expect(filterEvents(events, { ...NO_FILTER, text: 'CODE' }).map((e) => e.sequence)).toEqual([2, 3]);
    expect(filterEvents(events, { types: ['agent_output'], agents: ['developer'], text: 'code' }).map((e) => e.sequence)).toEqual([3]);
  });
});

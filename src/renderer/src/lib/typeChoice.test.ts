import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../../shared/events';
import { AGENT_ACTIVITY, choiceOf, EVENT_TYPE_CHOICES, typesOf } from './typeChoice';

describe('type filter choices', () => {
  it('offers every event type, including the structured-stream ones', () => {
    expect(EVENT_TYPE_CHOICES.map((c) => c.value)).toEqual([...EVENT_TYPES]);
    expect(EVENT_TYPE_CHOICES.map((c) => c.label)).toEqual(expect.arrayContaining(['agent message', 'tool call', 'tool result', 'usage']));
  });
  it('maps the agent activity group to its types and back', () => {
    expect(typesOf('group:activity')).toEqual(AGENT_ACTIVITY);
    expect(choiceOf([...AGENT_ACTIVITY].reverse())).toBe('group:activity');
  });
  it('maps one type to itself and nothing to all types', () => {
    expect(typesOf('tool_call')).toEqual(['tool_call']);
    expect(choiceOf(['tool_call'])).toBe('tool_call');
    expect(typesOf('')).toEqual([]);
    expect(typesOf('no_such_type')).toEqual([]);
    expect(choiceOf([])).toBe('');
  });
});

// The type filter's choices: every event type, plus groups a person asks for at once. Pure.
import { EVENT_TYPES, type EventType } from '../../../shared/events';

export interface TypeChoice {
  value: string;
  label: string;
  types: readonly EventType[];
}

/** What the agents did: their messages and tool calls, without the output and file noise. */
export const AGENT_ACTIVITY: readonly EventType[] = ['agent_message', 'tool_call', 'tool_result'];

export const typeLabel = (t: EventType): string => t.replace(/_/g, ' ');

export const GROUP_CHOICES: readonly TypeChoice[] = [{ value: 'group:activity', label: 'agent activity', types: AGENT_ACTIVITY }];
export const EVENT_TYPE_CHOICES: readonly TypeChoice[] = EVENT_TYPES.map((t) => ({ value: t, label: typeLabel(t), types: [t] }));
const TYPE_CHOICES: readonly TypeChoice[] = [...GROUP_CHOICES, ...EVENT_TYPE_CHOICES];

const sameTypes = (a: readonly EventType[], b: readonly EventType[]) => a.length === b.length && a.every((t) => b.includes(t));

/** The select's value for a filter's types ('' = all types). */
export function choiceOf(types: readonly EventType[]): string {
  if (types.length === 0) return '';
  return TYPE_CHOICES.find((c) => sameTypes(c.types, types))?.value ?? '';
}

/** The types a select value stands for ([] = all types, also for a value it does not know). */
export function typesOf(value: string): readonly EventType[] {
  return TYPE_CHOICES.find((c) => c.value === value)?.types ?? [];
}

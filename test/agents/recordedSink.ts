// Test support for the agent parsers: a StreamSink that records every call, and the streams
// recorded from the real CLIs (test/agents/recorded/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EventDraft, Usage } from '../../src/shared/events';
import type { RecordParser, StreamSink } from '../../src/main/core/agents/types';

export const RECORDED = fileURLToPath(new URL('./recorded/', import.meta.url));

export function recordedLines(name: string): string[] {
  return readFileSync(`${RECORDED}${name}`, 'utf8').split('\n').filter(Boolean);
}

export class RecordingSink implements StreamSink {
  events: Omit<EventDraft, 'agent'>[] = [];
  usages: Usage[] = [];
  sessions: string[] = [];
  answers: string[] = [];
  failures: string[] = [];
  fatals: string[] = [];
  unknowns: string[] = [];
  refusals: { tool: string; input: unknown; toolUseId: string | null }[] = [];
  event(d: Omit<EventDraft, 'agent'>): void {
    this.events.push(d);
  }
  usage(u: Usage): void {
    this.usages.push(u);
  }
  session(id: string): void {
    this.sessions.push(id);
  }
  answer(t: string): void {
    this.answers.push(t);
  }
  failure(m: string): void {
    this.failures.push(m);
  }
  fatal(r: string): void {
    this.fatals.push(r);
  }
  unknown(l: string): void {
    this.unknowns.push(l);
  }
  refused(r: { tool: string; input: unknown; toolUseId: string | null }): void {
    this.refusals.push(r);
  }
}

/** Feeds lines to a parser as the stream splitter would (JSON objects only). */
export function feed(parser: RecordParser, lines: string[]): void {
  for (const l of lines) parser.record(JSON.parse(l) as Record<string, unknown>, l);
}

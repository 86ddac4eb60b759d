import { describe, expect, it } from 'vitest';
import { ACTIVE_STATUSES, RUNNING_STATUSES, TERMINAL_STATUSES, WORKFLOW_STATUSES, canTransition, sourcesOf } from './status';

// docs/design.md §1 rule 5, written out independently of status.ts so a change there fails here.
const ALLOWED = new Set([
  'queued>pending',
  'queued>cancelled',
  'pending>in_progress',
  'pending>cancelled',
  'in_progress>blocked',
  'in_progress>completed',
  'in_progress>failed',
  'in_progress>cancelled',
  'blocked>in_progress',
  'blocked>failed',
  'blocked>cancelled',
]);

describe('state machine', () => {
  for (const from of WORKFLOW_STATUSES) {
    for (const to of WORKFLOW_STATUSES) {
      const allowed = ALLOWED.has(`${from}>${to}`);
      it(`${from} -> ${to} is ${allowed ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(allowed);
        expect(sourcesOf(to).includes(from)).toBe(allowed);
      });
    }
  }

  it('names the active, running and terminal sets of the design', () => {
    expect([...ACTIVE_STATUSES]).toEqual(['queued', 'pending', 'in_progress', 'blocked']);
    expect([...RUNNING_STATUSES]).toEqual(['pending', 'in_progress', 'blocked']);
    expect([...TERMINAL_STATUSES]).toEqual(['completed', 'failed', 'cancelled']);
  });
});

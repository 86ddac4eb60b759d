import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../shared/domain';
import { notificationFor } from './notify';

const wf = (status: Workflow['status'], failureReason: string | null = null): Workflow => ({
  id: 'w1', issueId: 'ISS-1', title: 'Fix it', description: '', worktreePath: '/r/a', worktreeName: 'a',
  pipeline: { name: 'default', stages: [] }, status, currentStage: null, createdAt: '', startedAt: null, completedAt: null, failureReason,
});

describe('notificationFor', () => {
  it('notifies on entering blocked, completed and failed', () => {
    expect(notificationFor(wf('in_progress'), wf('blocked'))?.title).toBe('Approval needed: ISS-1');
    expect(notificationFor(wf('in_progress'), wf('completed'))?.title).toBe('Completed: ISS-1');
    expect(notificationFor(wf('blocked'), wf('failed', 'plan rejected: no'))?.body).toContain('plan rejected: no');
  });
  it('stays quiet when the status did not change or is not interesting', () => {
    expect(notificationFor(wf('blocked'), wf('blocked'))).toBeNull();
    expect(notificationFor(wf('pending'), wf('in_progress'))).toBeNull();
    expect(notificationFor(wf('in_progress'), wf('cancelled'))).toBeNull();
  });
});

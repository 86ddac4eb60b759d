import { useEffect } from 'react';
import { useApp } from '../state/hooks';
import { startTrackerPoll } from '../state/trackerPoll';

/** Keeps the pull requests' state and checks fresh while the window is open (state/trackerPoll.ts). */
export function TrackerPoller() {
  const app = useApp();
  useEffect(() => startTrackerPoll(app), [app]);
  return null;
}

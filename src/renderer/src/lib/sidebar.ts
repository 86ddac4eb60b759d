// Whether the sidebar is the full list or a narrow rail. The user's choice (the `B` key, the
// toggle button) wins and is remembered; until they choose, a window narrower than NARROW_PX
// starts with the rail so that the event stream keeps its room (a split screen, a browser tab
// beside an editor).

export type SidebarChoice = 'auto' | 'full' | 'rail';

/** Below this window width the sidebar starts as a rail. */
export const NARROW_PX = 960;

export const SIDEBAR_STORAGE_KEY = 'switchyard.sidebar';

export function isRail(choice: SidebarChoice, narrow: boolean): boolean {
  return choice === 'auto' ? narrow : choice === 'rail';
}

/** The choice after a toggle: the opposite of what is shown now. */
export function toggled(choice: SidebarChoice, narrow: boolean): SidebarChoice {
  return isRail(choice, narrow) ? 'full' : 'rail';
}

/** A stored choice, or 'auto' for anything else (a missing key, a value from elsewhere). */
export function parseChoice(stored: string | null | undefined): SidebarChoice {
  return stored === 'full' || stored === 'rail' ? stored : 'auto';
}

// Every action of the window and its key (docs/design.md §4.4). The `?` overlay, the command palette,
// the tooltips and the global key handler all read this one table.

export const ACTION_IDS = [
  'nextWorktree',
  'prevWorktree',
  'open',
  'newWorkflow',
  'approve',
  'reject',
  'cancel',
  'search',
  'palette',
  'help',
  'history',
  'showEvents',
  'showChanges',
  'jumpToLatest',
  'addRepository',
  'createWorktree',
  'removeWorktree',
  'toggleSidebar',
  'settings',
  // Rule 12 (docs/github.md).
  'issues',
  'ship',
  'fixChecks',
  // Rule 13: a worktree's setup, run command and hygiene.
  'rerunSetup',
  'toggleRun',
  'worktreeOutput',
  'removeMerged',
  // Tool approvals (rule 11): the oldest waiting tool request of the open workflow.
  'allowTool',
  'allowToolAlways',
  'denyTool',
] as const;
export type ActionId = (typeof ACTION_IDS)[number];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
}

export interface ActionDef {
  id: ActionId;
  label: string;
  /** The keys as shown to people. */
  keys: readonly string[];
  /** The plain `key` values that trigger it (no Ctrl/Cmd/Alt). */
  plain?: readonly string[];
  /** Triggered by Ctrl+key or Cmd+key. */
  mod?: string;
}

export const ACTIONS: readonly ActionDef[] = [
  { id: 'nextWorktree', label: 'Next worktree', keys: ['↓', 'J'], plain: ['ArrowDown', 'j'] },
  { id: 'prevWorktree', label: 'Previous worktree', keys: ['↑', 'K'], plain: ['ArrowUp', 'k'] },
  { id: 'open', label: 'Open the selected worktree', keys: ['Enter'], plain: ['Enter'] },
  { id: 'newWorkflow', label: 'New workflow', keys: ['N'], plain: ['n'] },
  { id: 'approve', label: 'Approve the plan', keys: ['A'], plain: ['a'] },
  { id: 'reject', label: 'Reject the plan', keys: ['R'], plain: ['r'] },
  { id: 'cancel', label: 'Cancel the workflow', keys: ['C'], plain: ['c'] },
  { id: 'search', label: 'Search events', keys: ['/'], plain: ['/'] },
  { id: 'palette', label: 'Command palette', keys: ['Ctrl+K', '⌘K'], mod: 'k' },
  { id: 'help', label: 'Keyboard shortcuts', keys: ['?'], plain: ['?'] },
  { id: 'history', label: 'History', keys: ['H'], plain: ['h'] },
  { id: 'showEvents', label: 'Show events', keys: ['E'], plain: ['e'] },
  { id: 'showChanges', label: 'Show changed files', keys: ['D'], plain: ['d'] },
  { id: 'jumpToLatest', label: 'Jump to latest event', keys: ['G'], plain: ['g'] },
  { id: 'addRepository', label: 'Add repository', keys: ['O'], plain: ['o'] },
  { id: 'createWorktree', label: 'Create worktree', keys: ['W'], plain: ['w'] },
  { id: 'removeWorktree', label: 'Remove the selected worktree', keys: ['Delete'], plain: ['Delete'] },
  { id: 'toggleSidebar', label: 'Collapse or expand the sidebar', keys: ['B'], plain: ['b'] },
  { id: 'settings', label: 'Settings', keys: [','], plain: [','] },
  { id: 'issues', label: 'Start from a GitHub issue', keys: ['I'], plain: ['i'] },
  { id: 'ship', label: 'Ship as a pull request', keys: ['S'], plain: ['s'] },
  { id: 'fixChecks', label: 'Send failing checks back to the agent', keys: ['F'], plain: ['f'] },
  { id: 'rerunSetup', label: "Re-run the worktree's setup", keys: ['U'], plain: ['u'] },
  { id: 'toggleRun', label: 'Start or stop the run command', keys: ['P'], plain: ['p'] },
  { id: 'worktreeOutput', label: 'Show setup and run output', keys: ['L'], plain: ['l'] },
  { id: 'removeMerged', label: 'Remove merged worktrees', keys: ['Z'], plain: ['z'] },
  { id: 'allowTool', label: 'Allow the tool request', keys: ['Y'], plain: ['y'] },
  { id: 'allowToolAlways', label: 'Allow always for this repository', keys: ['Shift+Y'], plain: ['Y'] },
  { id: 'denyTool', label: 'Deny the tool request', keys: ['X'], plain: ['x'] },
];

const BY_ID = new Map(ACTIONS.map((a) => [a.id, a]));

export function actionDef(id: ActionId): ActionDef {
  return BY_ID.get(id)!;
}

/** "Approve the plan (A)": the tooltip text of a control. */
export function withKey(id: ActionId, label = actionDef(id).label): string {
  return `${label} (${actionDef(id).keys.join(' / ')})`;
}

/** The action a key press triggers, or null. Keys never fire while typing in a field. */
export function actionForKey(e: KeyLike, typing: boolean): ActionId | null {
  if (e.altKey) return null;
  if (e.ctrlKey || e.metaKey) {
    const key = e.key.toLowerCase();
    const found = ACTIONS.find((a) => a.mod === key);
    return found ? found.id : null;
  }
  if (typing) return null;
  // Exact match: "a" approves, Shift+A ("A") does nothing; "?" is Shift+/ on most layouts.
  const found = ACTIONS.find((a) => a.plain?.includes(e.key));
  return found ? found.id : null;
}

interface TargetLike {
  tagName?: string;
  isContentEditable?: boolean;
  type?: string;
}

const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file']);

/** Whether the focused element takes text (so single-letter keys belong to it). */
export function isTypingTarget(target: TargetLike | null | undefined): boolean {
  if (!target || !target.tagName) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
  return false;
}

import { useEffect } from 'react';
import { actionForKey, isTypingTarget } from '../lib/keymap';
import { useApp } from '../state/hooks';
import { runAction } from '../state/runAction';

const ACTIVATES_ON_ENTER = new Set(['BUTTON', 'A', 'SUMMARY', 'SELECT']);

/** The one global key handler. Dialogs handle their own keys; fields keep theirs. */
export function KeyboardShortcuts() {
  const app = useApp();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      const dialogOpen = app.stores.ui.getState().dialog !== null;
      const id = actionForKey(e, isTypingTarget(target));
      if (!id) return;
      if (dialogOpen) {
        // Only the palette key works over a dialog: it toggles the palette.
        if (id === 'palette' && app.stores.ui.getState().dialog?.kind === 'palette') {
          e.preventDefault();
          app.stores.ui.setState({ dialog: null });
        }
        return;
      }
      // Enter on a focused button presses that button; arrows scroll a focused scroll area.
      if (id === 'open' && target && ACTIVATES_ON_ENTER.has(target.tagName)) return;
      if ((id === 'nextWorktree' || id === 'prevWorktree') && target?.closest('[data-keys-local]') && e.key.startsWith('Arrow')) return;
      e.preventDefault();
      runAction(app, id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [app]);
  return null;
}

import { useUi, useApp } from '../state/hooks';

/** A message for the user, e.g. an error from the core in its own words. */
export function Notice() {
  const app = useApp();
  const notice = useUi((s) => s.notice);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button type="button" className="ghost small" aria-label="Dismiss message" onClick={() => app.stores.ui.setState({ notice: null })}>
        ×
      </button>
    </div>
  );
}

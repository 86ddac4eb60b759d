import { useMemo } from 'react';
import { lineKind, splitPatch } from '../lib/diff';

const MAX_LINES = 4000;

/** The unified diff of one file, coloured by line kind. */
export function DiffView({ patch, path }: { patch: string; path: string | null }) {
  const files = useMemo(() => splitPatch(patch), [patch]);
  const file = files.find((f) => f.path === path);
  if (!path) return <div className="diff empty-diff muted">Choose a file to see its diff.</div>;
  if (!file) return <div className="diff empty-diff muted">No textual diff for {path} (new untracked or binary file).</div>;
  const lines = file.lines.slice(0, MAX_LINES);
  return (
    <div className="diff" role="region" aria-label={`Diff of ${path}`} tabIndex={0}>
      <pre>
        {lines.map((line, i) => (
          <span key={i} className={`dl dl-${lineKind(line)}`}>
            {line || ' '}
            {'\n'}
          </span>
        ))}
      </pre>
      {file.lines.length > MAX_LINES && <p className="muted small pad">{(file.lines.length - MAX_LINES).toLocaleString()} more lines not shown.</p>}
    </div>
  );
}

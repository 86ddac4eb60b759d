// A `tool_call` / `tool_result` row's body: one line (tool, summary, ✓/✗) that opens to the
// tool's input or output. A button with aria-expanded, so it works from the keyboard.
import { memo, useId } from 'react';
import type { WorkflowEvent } from '../../../shared/events';
import { toolRow } from '../lib/agentEvents';
import { useExpanded } from '../state/expanded';

export const ToolRow = memo(function ToolRow({ event }: { event: WorkflowEvent }) {
  const row = toolRow(event)!;
  const [open, toggle] = useExpanded(event.id);
  const id = useId();
  const what = row.kind === 'call' ? 'input' : 'output';
  const mark = row.ok === null ? null : row.ok ? '✓' : '✗';
  const line = (
    <>
      {mark && (
        <span className={`tool-mark ${row.ok ? 'tool-ok' : 'tool-failed'}`} aria-hidden="true">
          {mark}
        </span>
      )}
      {row.ok !== null && <span className="sr-only">{row.ok ? 'succeeded: ' : 'failed: '}</span>}
      <span className="tool-name">{row.tool}</span>
      {row.rest && <span className="tool-summary">{row.rest}</span>}
    </>
  );
  if (row.detail === '') return <div className="ev-msg tool-line">{line}</div>;
  return (
    <div className="ev-msg">
      <button type="button" className="tool-line tool-toggle" aria-expanded={open} aria-controls={open ? id : undefined} title={open ? `Hide the ${what}` : `Show the ${what}`} onClick={toggle}>
        <span className="tool-caret" aria-hidden="true">{open ? '▾' : '▸'}</span>
        {line}
      </button>
      {open && (
        <pre id={id} className="tool-detail" tabIndex={0} aria-label={`${row.tool} ${what}`}>
          {row.detail}
        </pre>
      )}
    </div>
  );
});

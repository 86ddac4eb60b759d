// An `agent_message` row's body: the assistant's text as markdown, cut to a screenful until the
// reader asks for all of it (the row stays open when the list scrolls it away and back).
import { memo, useId } from 'react';
import type { WorkflowEvent } from '../../../shared/events';
import { clip } from '../lib/agentEvents';
import { MESSAGE_LINES } from '../lib/rowHeight';
import { useExpanded } from '../state/expanded';
import { Markdown } from './Markdown';

export const MESSAGE_CHARS = 1_500;

export const AgentMessage = memo(function AgentMessage({ event }: { event: WorkflowEvent }) {
  const [open, toggle] = useExpanded(event.id);
  const id = useId();
  const { text, cut } = clip(event.message, MESSAGE_CHARS, MESSAGE_LINES);
  return (
    <div className="ev-msg ev-message">
      <div id={id}>
        <Markdown text={open || !cut ? event.message : text} />
      </div>
      {cut && (
        <button type="button" className="ghost small more-toggle" aria-expanded={open} aria-controls={id} onClick={toggle}>
          {open ? 'Show less' : `Show all (${(event.message.length - text.length).toLocaleString('en-US')} more characters)`}
        </button>
      )}
    </div>
  );
});

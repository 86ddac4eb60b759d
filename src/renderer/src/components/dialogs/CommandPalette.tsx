import { useMemo, useState } from 'react';
import { ACTIONS } from '../../lib/keymap';
import { useApp } from '../../state/hooks';
import { isAvailable, runAction } from '../../state/runAction';
import { Modal } from './Modal';
import { useListChoice } from './useListChoice';

/** Every action, searchable; the first match is selected, ↑/↓ (or moving the mouse) choose, Enter runs. */
export function CommandPalette({ onClose }: { onClose: () => void }) {
  const app = useApp();
  const [query, setQuery] = useState('');
  const list = useMemo(() => {
    const q = query.trim().toLowerCase();
    return ACTIONS.filter((a) => a.id !== 'palette' && (q === '' || a.label.toLowerCase().includes(q)));
  }, [query]);
  const run = (i: number) => {
    const action = list[i];
    if (!action || !isAvailable(app, action.id)) return;
    onClose();
    runAction(app, action.id);
  };
  const { current, setIndex, onKeyDown, onOptionMouseMove } = useListChoice(list.length, run);

  return (
    <Modal title="Command palette" onClose={onClose} className="palette">
      <input
        data-autofocus=""
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={list[current] ? `cmd-${list[current].id}` : undefined}
        aria-label="Command"
        placeholder="Type a command…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id="palette-list" role="listbox" aria-label="Commands">
        {list.map((a, i) => {
          const available = isAvailable(app, a.id);
          return (
            <li
              key={a.id}
              id={`cmd-${a.id}`}
              role="option"
              aria-selected={i === current}
              aria-disabled={!available}
              className={i === current ? 'active' : ''}
              onMouseMove={onOptionMouseMove(i)}
              onClick={() => run(i)}
            >
              <span>{a.label}</span>
              <span className="keyhint">
                {a.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </span>
            </li>
          );
        })}
        {list.length === 0 && <li className="muted">No command matches.</li>}
      </ul>
    </Modal>
  );
}

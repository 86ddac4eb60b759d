import { useState, type KeyboardEvent, type MouseEvent } from 'react';

/**
 * The choice in a searchable list (the command palette, the issue list): ↑/↓ move and wrap, Enter
 * picks, and only a pointer that moves chooses — a list opening under a resting pointer gets
 * mouseenter (and, in Chromium, a synthetic move with no movement), which stole the selection
 * from the first match.
 */
export function useListChoice(length: number, pick: (index: number) => void) {
  const [index, setIndex] = useState(0);
  const current = Math.min(index, Math.max(0, length - 1));
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setIndex((current + 1) % Math.max(1, length));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setIndex((current - 1 + length) % Math.max(1, length));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pick(current);
    }
  };
  const onOptionMouseMove = (i: number) => (e: MouseEvent) => {
    if ((e.movementX !== 0 || e.movementY !== 0) && i !== current) setIndex(i);
  };
  return { current, setIndex, onKeyDown, onOptionMouseMove };
}

import { useEffect, useId, useRef, type ReactElement, type ReactNode } from 'react';

/** A modal <dialog>: focus stays inside, Escape closes, the title names it for assistive tech. */
export function Modal({ title, onClose, children, className = '' }: { title: string; onClose: () => void; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // React does not render `autofocus`, so showModal() cannot see it: focus the marked control.
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal ${className}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose(); // a click on the backdrop
      }}
    >
      <h2 id={titleId} className="modal-title">{title}</h2>
      {children}
    </dialog>
  );
}

export function ErrorText({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="error form-error" role="alert">
      {error}
    </p>
  );
}

/** A labelled form control; the label names the control exactly (not the control's own text). */
export function Field({ label, className = '', children }: { label: string; className?: string; children: (id: string) => ReactElement }) {
  const id = useId();
  return (
    <div className={`field ${className}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import { errorText } from '../../state/commands';

/**
 * The submit logic every dialog shares: `submit` marks the dialog busy, clears the error and runs
 * `action` (which closes the dialog on success); on failure it shows the error and is usable again.
 * `onSubmit` is the same for a <form>, without the page navigation.
 */
export function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit();
  };
  return { busy, error, setError, submit, onSubmit };
}

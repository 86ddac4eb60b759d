import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { SETTINGS_FIELDS, integerBounds, settingField, type SettingField, type SettingKey, type Settings } from '../../../../shared/settings';
import { describeRange, describeValue, formatBytes } from '../../../../shared/settingsText';
import { ClientError } from '../../client/errors';
import { buildPatch, draftsOf, isDefault, parseDraft, serverErrors, toDraft, type Draft, type Drafts, type FieldErrors } from '../../lib/settingsForm';
import { errorText } from '../../state/commands';
import { useApp } from '../../state/hooks';
import { ErrorText, Modal } from './Modal';
import { RememberedRules } from './RememberedRules';

/** Every setting, generated from the shared field table: read with settings.get, saved with settings.set. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const app = useApp();
  // The form starts from what the core says now, not from what the window last heard.
  const [loaded, setLoaded] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    let stale = false;
    app.commands
      .refreshSettings()
      .then(() => !stale && setLoaded(app.stores.connection.getState().settings))
      .catch((e: unknown) => !stale && setLoadError(errorText(e)));
    return () => {
      stale = true;
    };
  }, [app]);
  return (
    <Modal title="Settings" onClose={onClose} className="settings">
      {loaded ? (
        <>
          <SettingsForm initial={loaded} onClose={onClose}>
            <RememberedRules />
          </SettingsForm>
        </>
      ) : (
        <>
          {loadError ? <ErrorText error={loadError} /> : <p className="muted" role="status">Loading the settings…</p>}
          <div className="buttons">
            <button type="button" data-autofocus="" onClick={onClose}>Close</button>
          </div>
        </>
      )}
    </Modal>
  );
}

function SettingsForm({ initial, onClose, children }: { initial: Settings; onClose: () => void; children?: ReactNode }) {
  const app = useApp();
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(initial));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const attempt = buildPatch(initial, drafts);
  const changed = attempt.ok ? Object.keys(attempt.patch).length : null;

  useEffect(() => {
    // Mounted after the load: take the focus the Modal could not give at its own mount.
    if (!form.current?.contains(document.activeElement)) form.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, []);

  const focusField = (key: SettingKey) => {
    const row = form.current?.querySelector<HTMLElement>(`[data-setting="${key}"]`);
    row?.querySelector<HTMLElement>('input, textarea')?.focus();
    row?.scrollIntoView({ block: 'nearest' }); // its label and error too, not only the control
  };

  const change = (key: SettingKey, draft: Draft) => {
    setDrafts((d) => ({ ...d, [key]: draft }));
    const parsed = parseDraft(settingField(key), draft);
    setErrors((e) => ({ ...e, [key]: parsed.ok ? undefined : parsed.error }));
    setTop(null);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const result = buildPatch(initial, drafts);
    if (!result.ok) {
      setErrors(result.errors);
      setTop('Not saved: correct the values marked below.');
      focusField(SETTINGS_FIELDS.find((f) => result.errors[f.key])!.key);
      return;
    }
    if (Object.keys(result.patch).length === 0) return onClose();
    setBusy(true);
    setTop(null);
    try {
      await app.commands.saveSettings(result.patch);
      onClose();
    } catch (err) {
      setBusy(false);
      if (err instanceof ClientError && err.code === 'INVALID_INPUT') {
        const placed = serverErrors(err);
        setErrors(placed.fields);
        setTop(placed.top);
        const first = SETTINGS_FIELDS.find((f) => placed.fields[f.key]);
        if (first) focusField(first.key);
      } else {
        setTop(errorText(err));
      }
    }
  };

  return (
    <form ref={form} noValidate onSubmit={(e) => void onSubmit(e)} className="settings-form">
      <ErrorText error={top} />
      <div className="settings-fields">
        {SETTINGS_FIELDS.map((f, i) => (
          <SettingRow
            key={f.key}
            field={f}
            first={i === 0}
            draft={drafts[f.key]}
            error={errors[f.key] ?? null}
            onChange={(d) => change(f.key, d)}
          />
        ))}
        {/* Scrolls with the fields, so Save and Close stay at the bottom of the screen. */}
        {children}
      </div>
      <div className="buttons">
        <span className="muted small settings-count" aria-live="polite">
          {changed === null ? 'Some values need correcting' : changed === 0 ? 'No changes' : `${changed} changed`}
        </span>
        <button type="button" onClick={onClose}>Close</button>
        <button type="submit" className="primary" disabled={busy}>Save</button>
      </div>
    </form>
  );
}

interface RowProps {
  field: SettingField;
  first: boolean;
  draft: Draft;
  error: string | null;
  onChange: (draft: Draft) => void;
}

/** One setting: its control, what it does, its range and default, its error, and Reset. */
function SettingRow({ field: f, first, draft, error, onChange }: RowProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const described = error ? `${errorId} ${helpId}` : helpId;
  const common = { 'aria-describedby': described, 'aria-invalid': error ? true : undefined, ...(first ? { 'data-autofocus': '' } : {}) };
  const text = (extra: { className?: string; inputMode?: 'numeric' | 'decimal' | 'url'; placeholder?: string } = {}) => (
    <input id={id} type="text" autoComplete="off" spellCheck={false} value={draft as string} onChange={(e) => onChange(e.target.value)} {...extra} {...common} />
  );
  let control: ReactNode;
  switch (f.editor.kind) {
    case 'integer': {
      const { min, max } = integerBounds(f);
      const parsed = parseDraft(f, draft);
      control = (
        <span className="setting-input">
          <input id={id} type="number" inputMode="numeric" min={min} max={max} step={1} value={draft as string} onChange={(e) => onChange(e.target.value)} {...common} />
          <span className="unit">{f.editor.unit}</span>
          {f.editor.unit === 'bytes' && parsed.ok && <span className="muted small">= {formatBytes(parsed.value as number)}</span>}
        </span>
      );
      break;
    }
    case 'money':
      control = (
        <span className="setting-input">
          <span className="unit" aria-hidden="true">$</span>
          {text({ className: 'money', inputMode: 'decimal', placeholder: f.editor.empty })}
          <span className="unit">US dollars</span>
        </span>
      );
      break;
    case 'path':
      control = text({ className: 'mono', placeholder: f.editor.empty });
      break;
    case 'url':
      control = text({ className: 'mono', inputMode: 'url', placeholder: f.editor.empty });
      break;
    case 'boolean':
      // Drawn in the head, before its label, like every checkbox of the window.
      control = null;
      break;
    case 'accelerators': {
      const values = draft as Record<string, string>;
      control = (
        <div className="setting-subfields">
          {Object.entries(f.editor.labels).map(([k, label]) => (
            <span key={k} className="setting-input">
              <label htmlFor={`${id}-${k}`}>{label}</label>
              <input
                id={`${id}-${k}`}
                type="text"
                className="mono"
                autoComplete="off"
                spellCheck={false}
                value={values[k] ?? ''}
                onChange={(e) => onChange({ ...values, [k]: e.target.value })}
                {...common}
              />
            </span>
          ))}
        </div>
      );
      break;
    }
    case 'pipelines':
      control = <textarea id={id} className="mono" rows={5} spellCheck={false} value={draft as string} onChange={(e) => onChange(e.target.value)} {...common} />;
      break;
  }
  const atDefault = isDefault(f, draft);
  const Label = f.editor.kind === 'accelerators' ? 'span' : 'label';
  return (
    <div className="setting" data-setting={f.key} role={f.editor.kind === 'accelerators' ? 'group' : undefined} aria-labelledby={f.editor.kind === 'accelerators' ? `${id}-label` : undefined}>
      <div className="setting-head">
        {f.editor.kind === 'boolean' && <input id={id} type="checkbox" checked={draft as boolean} onChange={(e) => onChange(e.target.checked)} {...common} />}
        <Label id={`${id}-label`} className="setting-label" {...(Label === 'label' ? { htmlFor: id } : {})}>
          {f.label}
        </Label>
        <button
          type="button"
          className="ghost small"
          aria-label={`Reset ${f.label} to the default: ${describeValue(f, f.default)}`}
          title={`Default: ${describeValue(f, f.default)}`}
          disabled={atDefault}
          onClick={() => onChange(toDraft(f, f.default))}
        >
          Reset
        </button>
      </div>
      {control}
      {error && (
        <p id={errorId} className="error field-error">
          {error}
        </p>
      )}
      <p id={helpId} className="muted small setting-help">
        {f.help} Accepts {describeRange(f)}. Default: {describeValue(f, f.default)}.
      </p>
    </div>
  );
}

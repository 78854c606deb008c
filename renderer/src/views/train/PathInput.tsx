import { useId } from 'react';
import { api, errorMessage } from '../../api/client';
import { PICKER, type PathField } from './pathFields';

/**
 * One path field of the Train view: the text box, in the desktop app a "Choose…" button (a real button,
 * reachable with Tab) that opens the native dialog, whose answer the API then accepts, and the service's
 * message when it refused or could not find the path, said right under the field.
 */
export function PathInput(props: {
  field: PathField;
  label: string;
  ariaLabel: string;
  value: string;
  onChange(v: string): void;
  native: boolean;
  error: string | undefined;
  onPickError(message: string): void;
  placeholder?: string;
  describedBy?: string;
  disabled?: boolean;
}) {
  const errorId = useId();
  const choose = async () => {
    const picker = PICKER[props.field];
    try {
      const chosen =
        picker.kind === 'folder'
          ? (await api['app.pickFolder']({ purpose: picker.purpose })).path
          : ((await api['app.pickFiles']({ title: picker.title, purpose: 'checkpoint' })).paths[0] ?? null);
      if (chosen) props.onChange(chosen);
    } catch (e) {
      props.onPickError(errorMessage(e));
    }
  };
  const describedBy = [props.describedBy, props.error ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <div className="train-path">
      <div className="train-path-row">
        <label>
          <span>{props.label}</span>
          <input
            value={props.value}
            onChange={(e) => props.onChange(e.target.value)}
            aria-label={props.ariaLabel}
            aria-describedby={describedBy}
            aria-invalid={props.error ? true : undefined}
            placeholder={props.placeholder}
            spellCheck={false}
            disabled={props.disabled}
          />
        </label>
        {props.native && (
          <button type="button" className="button" onClick={() => void choose()} disabled={props.disabled} aria-label={PICKER[props.field].name}>
            Choose…
          </button>
        )}
      </div>
      {props.error && (
        <p className="train-error train-field-error" id={errorId} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

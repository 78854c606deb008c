import { forwardRef, useMemo } from 'react';
import { normalizeText } from '../../../../shared/text/index';

/**
 * The transcript as the user writes it, and beside it the normalized text (shared/text
 * normalizeText: numbers, abbreviations, symbols spelled out) — what the model will be trained on.
 */
export const TranscriptPanel = forwardRef<HTMLTextAreaElement, {
  value: string;
  onChange(v: string): void;
  language?: string;
}>(function TranscriptPanel({ value, onChange }, ref) {
  const normalized = useMemo(() => {
    try {
      return { text: value.trim() ? normalizeText(value) : '', error: null as string | null };
    } catch (e) {
      return { text: '', error: (e as Error).message };
    }
  }, [value]);
  const changed = normalized.text && normalized.text !== value.trim();
  return (
    <div className="transcript-panel">
      <label className="transcript-field">
        <span className="pane-title">Transcript</span>
        <textarea
          ref={ref}
          value={value}
          rows={3}
          spellCheck
          placeholder="Type what is said in this clip…"
          onChange={(e) => onChange(e.target.value.replace(/\r?\n/g, ' '))}
          data-testid="transcript"
        />
      </label>
      <div className="transcript-normalized">
        <span className="pane-title">Normalized {changed ? '' : '(unchanged)'}</span>
        <div className={`normalized-text${normalized.error ? ' error' : ''}`} data-testid="normalized">
          {normalized.error ?? (normalized.text || <span className="faint">—</span>)}
        </div>
      </div>
    </div>
  );
});

/**
 * The clip editor's keyboard map (keyboard-first editing). Pure: the component translates
 * KeyboardEvents into `KeyInput` and dispatches the returned action.
 *
 *   Space          play / pause            L        loop the trim selection on/off
 *   I / O          trim in / out at the cursor
 *   Shift+I / O    extend in / out 0.25 s into the recording (beyond the current clip)
 *   S              split at the cursor      M        merge with the next clip
 *   Enter          save, mark reviewed and open the next clip
 *   Ctrl/Cmd+Z     undo                    Ctrl/Cmd+Shift+Z or Ctrl+Y  redo
 *   ← / →          cursor −/+ 0.1 s (Shift: 1 s)    + / −   zoom in / out
 *   PageUp/PageDn  previous / next clip    Escape   leave the text field, then back to the table
 *
 * While the transcript field has focus, plain letters and Space type text; only the chorded
 * shortcuts (undo/redo), Enter and Escape act.
 */
export type EditorAction =
  | { type: 'playPause' }
  | { type: 'toggleLoop' }
  | { type: 'trimIn' }
  | { type: 'trimOut' }
  | { type: 'extendIn' }
  | { type: 'extendOut' }
  | { type: 'split' }
  | { type: 'mergeNext' }
  | { type: 'saveNext' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'seekBy'; seconds: number }
  | { type: 'zoom'; factor: number }
  | { type: 'prevClip' }
  | { type: 'nextClip' }
  | { type: 'escape' };

export interface KeyInput {
  key: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  alt?: boolean;
  /** True when focus is in a text field (the transcript). */
  inText?: boolean;
}

export function actionForKey(e: KeyInput): EditorAction | null {
  const mod = Boolean(e.ctrl || e.meta);
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod && !e.alt) {
    if (k === 'z') return e.shift ? { type: 'redo' } : { type: 'undo' };
    if (k === 'y' && !e.shift) return { type: 'redo' };
    return null;
  }
  if (e.alt) return null;
  if (k === 'Enter') return e.shift ? null : { type: 'saveNext' };
  if (k === 'Escape') return { type: 'escape' };
  if (e.inText) return null;
  switch (k) {
    case ' ':
      return { type: 'playPause' };
    case 'i':
      return e.shift ? { type: 'extendIn' } : { type: 'trimIn' };
    case 'o':
      return e.shift ? { type: 'extendOut' } : { type: 'trimOut' };
    case 's':
      return e.shift ? null : { type: 'split' };
    case 'm':
      return { type: 'mergeNext' };
    case 'l':
      return { type: 'toggleLoop' };
    case 'ArrowLeft':
      return { type: 'seekBy', seconds: e.shift ? -1 : -0.1 };
    case 'ArrowRight':
      return { type: 'seekBy', seconds: e.shift ? 1 : 0.1 };
    case '+':
    case '=':
      return { type: 'zoom', factor: 1.5 };
    case '-':
      return { type: 'zoom', factor: 1 / 1.5 };
    case 'PageUp':
      return { type: 'prevClip' };
    case 'PageDown':
      return { type: 'nextClip' };
  }
  return null;
}

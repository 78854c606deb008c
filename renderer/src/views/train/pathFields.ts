/**
 * The Train view's path fields (dataset folder, run folder, warm-start checkpoint): which picker each
 * opens in the desktop app, and which field a refusal belongs to, so the service's message shows beside
 * the field that named the path instead of only at the bottom of the form.
 */
export type PathField = 'datasetDir' | 'runDir' | 'warmStart';

export const PATH_FIELDS: readonly PathField[] = ['datasetDir', 'runDir', 'warmStart'];

/**
 * What "Choose…" opens for a field: a folder dialog (with its purpose) or the checkpoint file dialog; `name`
 * tells the three buttons apart for a screen reader (and does not contain the field's own label).
 */
export const PICKER: Record<PathField, ({ kind: 'folder'; purpose: 'dataset' | 'run' } | { kind: 'checkpoint'; title: string }) & { name: string }> = {
  datasetDir: { kind: 'folder', purpose: 'dataset', name: 'Choose… (dataset)' },
  runDir: { kind: 'folder', purpose: 'run', name: 'Choose… (run)' },
  warmStart: { kind: 'checkpoint', title: 'Choose the warm-start checkpoint', name: 'Choose… (warm start)' },
};

/**
 * The field whose path a service error is about, or null. The services begin a refusal or a missing-path
 * error with the path as it was given ("/x/run is outside the open projects…", "/x/ds does not exist"), so
 * the field whose value starts the message, followed by a space or a colon, owns it. The longest value wins
 * ("/a/run" vs "/a/run-2").
 */
export function fieldOfError(message: string, values: Record<PathField, string>): PathField | null {
  let best: { field: PathField; length: number } | null = null;
  for (const f of PATH_FIELDS) {
    // as typed (the service quotes it so), or without the spaces around it
    for (const v of new Set([values[f], values[f].trim()])) {
      if (!v.trim() || !message.startsWith(v)) continue;
      const next = message.charAt(v.length);
      if (next !== ' ' && next !== ':') continue;
      if (!best || v.length > best.length) best = { field: f, length: v.length };
    }
  }
  return best?.field ?? null;
}

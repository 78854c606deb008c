/**
 * Where a project's LJSpeech export goes and where the last one went, so the Export dialog and the Train
 * view agree on the dataset folder (issue 19: Export wrote `<project>-ljspeech` while Train looked at
 * `<project>/export/ljspeech`). The last export is remembered per project in the renderer's storage: it is a
 * preference of this window, not project data (the export itself is on disk, and Train re-reads it there).
 */
const KEY = 'formant.lastExport';

/** The folder the Export dialog proposes: beside the project, never inside it (an export is not project data). */
export function defaultExportDir(projectDir: string): string {
  return projectDir.replace(/[\\/]+$/, '') + '-ljspeech';
}

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function storage(): Store | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled: fall back to the default folder
  }
}

function readAll(s: Store): Record<string, string> {
  try {
    const v = JSON.parse(s.getItem(KEY) ?? '{}') as unknown;
    return v && typeof v === 'object' ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function rememberExport(projectDir: string, outDir: string, s: Store | null = storage()): void {
  if (!s) return;
  s.setItem(KEY, JSON.stringify({ ...readAll(s), [projectDir]: outDir }));
}

/** The folder of this project's last export from this window, else the default the Export dialog proposes. */
export function trainingDatasetDir(projectDir: string, s: Store | null = storage()): string {
  const last = s ? readAll(s)[projectDir] : undefined;
  return typeof last === 'string' && last ? last : defaultExportDir(projectDir);
}

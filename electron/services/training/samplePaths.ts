import path from 'node:path';

/**
 * Where a run keeps its validation samples: the trainer writes `samples/sample_<step:08d>.npy` (a
 * free-running mel); the app adds `sample_<step>.wav` (Griffin-Lim) and `sample_<step>.json` (what the
 * validation event said about it: utterance id, text, frames, whether the stop token fired).
 */
export const SAMPLES_DIR = 'samples';
export const SAMPLE_FILE = /^sample_(\d{8})\.npy$/;

export function sampleNpyPath(runDir: string, step: number): string {
  return path.join(runDir, SAMPLES_DIR, `sample_${String(step).padStart(8, '0')}.npy`);
}

export function sampleWavPath(npyPath: string): string {
  return npyPath.replace(/\.npy$/i, '') + '.wav';
}

export function sampleInfoPath(npyPath: string): string {
  return npyPath.replace(/\.npy$/i, '') + '.json';
}

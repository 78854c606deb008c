import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ClipRecord } from '../../../shared/contract/manifest';
import { decodeWav } from '../../../shared/dsp/wav';

/**
 * Is a clip's rendered WAV there and whole? A clip WAV is ours (mono 16-bit PCM at the project rate),
 * so anything else — missing, truncated, overwritten by another program, zeroed by a crash — is damage:
 * QA flags it `unreadable`, export leaves it out and says so, import and `formant reprocess` render it
 * again from its source. Returns what is wrong, in words, or null when the WAV is fine.
 */
export async function clipWavProblem(projectDir: string, clip: Pick<ClipRecord, 'wav'>, sampleRate: number): Promise<string | null> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path.join(projectDir, clip.wav));
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  return wavBytesProblem(bytes, sampleRate);
}

/** The same check on bytes already read (QA reads them to measure). */
export function wavBytesProblem(bytes: Uint8Array, sampleRate: number): string | null {
  let wav;
  try {
    wav = decodeWav(bytes);
  } catch (e) {
    return `not a readable WAV (${(e as Error).message})`;
  }
  if (wav.channels.length !== 1 || wav.sampleRate !== sampleRate || wav.bitsPerSample !== 16)
    return `not a clip of this project (${wav.channels.length} channel(s), ${wav.sampleRate} Hz, ${wav.bitsPerSample}-bit; expected mono ${sampleRate} Hz 16-bit)`;
  if (wav.channels[0]!.length === 0) return 'holds no audio';
  return null;
}

/** How to render damaged clips again, for messages (CLI and app alike). */
export const REPAIR_HINT = '`formant reprocess <project>` (or "Re-run preprocessing" in the Dataset view) renders damaged clips again from their sources';

import type { SynthesisJobResult, Vocoder } from '../../../../shared/contract/synthesis';

/**
 * The history of syntheses shown under the Synthesize view: newest first, capped so a long
 * session does not keep unbounded audio in memory. With a project open, entries are kept with it
 * (`synthesis.keep`: synthesis/<id>.wav + index.json) and play from there (`wav`); without one they
 * hold their WAV in memory (`wavBase64`) for this session.
 */
export interface HistoryEntry {
  id: string;
  text: string;
  voice: string;
  vocoder: Vocoder;
  seed: number;
  createdAt: number;
  /** In memory only (no project, or not kept yet). */
  wavBase64?: string;
  /** Kept with the project: the WAV's path inside it. */
  wav?: string;
  durationSeconds: number;
  sentences: number;
  unfixed: number;
  notes: string[];
  rtf: number;
  /** Phoneme voices: the IPA the model read, one line per sentence (modelInput.ts); absent/null for characters voices. */
  modelInput?: string[] | null;
  /** Duration voices: the pace and pitch shift (semitones) it was made with; absent for Tacotron-2 voices. */
  pace?: number;
  pitch?: number;
}

/** " · pace 2× · +3 st" for a duration-voice entry, "" otherwise. */
export function controlsLabel(e: Pick<HistoryEntry, 'pace' | 'pitch'>): string {
  if (e.pace == null && e.pitch == null) return '';
  const pitch = e.pitch ?? 0;
  return ` · pace ${+(e.pace ?? 1).toFixed(3)}× · ${pitch > 0 ? '+' : ''}${+pitch.toFixed(2)} st`;
}

export const MAX_HISTORY = 20;

export function pushHistory(list: HistoryEntry[], entry: HistoryEntry, max = MAX_HISTORY): HistoryEntry[] {
  return [entry, ...list.filter((e) => e.id !== entry.id)].slice(0, max);
}

export function historyEntry(id: string, req: { text: string; voice: string; vocoder: Vocoder; seed: number; modelInput?: string[] | null; pace?: number; pitch?: number }, result: SynthesisJobResult, now = Date.now()): HistoryEntry | null {
  if (!result.wavBase64) return null;
  return {
    id,
    ...req,
    createdAt: now,
    wavBase64: result.wavBase64,
    durationSeconds: result.durationSeconds,
    sentences: result.sentences.length,
    unfixed: result.sentences.filter((s) => !s.ok).length,
    notes: result.notes,
    rtf: result.timings.rtf,
  };
}

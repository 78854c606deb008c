import { create } from 'zustand';
import type { AuditionResult, SentenceItem, SynthesisJobResult, Vocoder, VoiceInfo } from '../../../../shared/contract/synthesis';
import { api, errorMessage, onEvent } from '../../api/client';
import { useJobsStore, whenJobEnds } from '../../stores/jobsStore';
import { useProjectStore } from '../../stores/projectStore';
import { StreamPlayer } from './audio';
import { historyEntry, pushHistory, type HistoryEntry } from './history';
import { modelInputs, voicePhonemizer } from './modelInput';
import { durationRequest } from './durationControls';
import { auditionProblem, DRAFT_ITERATIONS } from './auditionCheck';

/**
 * State of the Synthesize view.
 *
 * Invariants:
 *  - at most one synthesis runs from this view (`running`); its `items` are the job's sentence
 *    items in index order (events are buffered until the job id is known, so none is lost);
 *  - `history` holds finished syntheses only, newest first, capped (history.ts); with a project open it is the
 *    project's kept history (`historyProject`), read back on open, so a reload loses nothing;
 *  - `audition` always belongs to `auditionText` and the current voice and controls: changing any of them clears
 *    it (a new audition replaces it; a stale reply is dropped); `auditionB` is its B side when the voice has no
 *    WaveGlow (the same mel through a few Griffin-Lim iterations), null until computed;
 *  - `running.phonemizer` is the voice's phonemizer when the synthesis started (the voice picker may change
 *    meanwhile): non-null means each item's `cleaned` is the IPA the model read (modelInput.ts);
 *  - `pace` / `pitch` are kept across voice changes but sent only for a duration voice, clamped to its range
 *    (durationControls.ts): a Tacotron-2 voice never receives them.
 */
export interface RunningSynthesis {
  jobId: string | null;
  items: SentenceItem[];
  count: number;
  /** espeak-ng voice of a phoneme voice; null for a characters voice. */
  phonemizer: string | null;
}

export interface SynthesisState {
  text: string;
  voiceDir: string | null;
  vocoder: Vocoder;
  seed: number;
  /** Duration voices: speaking rate (1 = as trained, > 1 faster). */
  pace: number;
  /** Duration voices: pitch shift in semitones. */
  pitch: number;
  voices: VoiceInfo[];
  voicesError: string | null;
  /** Where the app keeps the user's voices (a voice added from checkpoint files goes there); null until listed. */
  userVoicesDir: string | null;
  running: RunningSynthesis | null;
  error: string | null;
  notes: string[];
  audition: AuditionResult | null;
  auditionText: string | null;
  auditioning: boolean;
  auditionB: { wavBase64: string; seconds: number; ms: number; iterations: number } | null;
  history: HistoryEntry[];
  /** The project whose kept history `history` shows; null: this session's, in memory. */
  historyProject: string | null;
  /** Reads the project's kept syntheses (a project change replaces the list). */
  loadHistory(projectDir: string | null): Promise<void>;
  set(patch: Partial<Pick<SynthesisState, 'text' | 'voiceDir' | 'vocoder' | 'seed' | 'pace' | 'pitch'>>): void;
  loadVoices(projectDir?: string | null): Promise<void>;
  synthesize(): Promise<void>;
  cancel(): Promise<void>;
  runAudition(projectDir?: string | null): Promise<void>;
}

const player = new StreamPlayer();
let auditionSeq = 0;

export const useSynthesisStore = create<SynthesisState>()((set, get) => ({
  text: 'The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background.',
  voiceDir: null,
  vocoder: 'griffin-lim',
  seed: 1,
  pace: 1,
  pitch: 0,
  voices: [],
  voicesError: null,
  userVoicesDir: null,
  running: null,
  error: null,
  notes: [],
  audition: null,
  auditionText: null,
  auditioning: false,
  auditionB: null,
  history: [],
  historyProject: null,

  set: (patch) => {
    const s = get();
    // The audition on screen is of one text, voice and setting: a change makes it stale.
    const stale = (['text', 'voiceDir', 'seed', 'pace', 'pitch'] as const).some((k) => patch[k] !== undefined && patch[k] !== s[k]);
    if (stale && (s.audition || s.auditioning)) auditionSeq++;
    set(stale ? { ...patch, audition: null, auditionText: null, auditionB: null, auditioning: false } : patch);
  },

  loadHistory: async (projectDir) => {
    // Closing the project: its kept entries play from it, so they leave with it.
    if (!projectDir) return set((s) => (s.historyProject ? { history: [], historyProject: null } : s));
    try {
      const { entries } = await api['synthesis.history']({ projectDir });
      if (useProjectStore.getState().dir === projectDir) set({ history: entries, historyProject: projectDir });
    } catch (e) {
      set({ error: `Synthesis history: ${errorMessage(e)}` });
    }
  },

  loadVoices: async (projectDir) => {
    try {
      const r = await api['synthesis.voices']({ projectDir: projectDir ?? undefined });
      const valid = r.voices.filter((v) => !v.error);
      const keep = valid.some((v) => v.dir === get().voiceDir);
      set({
        voices: r.voices,
        userVoicesDir: r.userVoicesDir,
        voicesError: valid.length ? null : `No voice installed yet. Train one and export it with \`formant export-voice\` into ${r.embeddedVoicesDir}/demo or ${r.userVoicesDir}.`,
        voiceDir: keep ? get().voiceDir : (valid.find((v) => v.isDefault) ?? valid[0])?.dir ?? null,
      });
    } catch (e) {
      set({ voicesError: errorMessage(e) });
    }
  },

  synthesize: async () => {
    const { text, voiceDir, vocoder, seed, running } = get();
    if (running) return;
    player.stop();
    const voiceInfo = get().voices.find((v) => v.dir === voiceDir);
    const phonemizer = voicePhonemizer(voiceInfo);
    const controls = durationRequest(voiceInfo, get().pace, get().pitch);
    set({ running: { jobId: null, items: [], count: 0, phonemizer }, error: null, notes: [] });
    // Events can arrive before the call returns the job id: buffer them until then.
    const buffered = new Map<string, SentenceItem[]>();
    let jobId: string | null = null;
    const take = (item: SentenceItem) => {
      if (item.wavBase64) player.enqueue(item.wavBase64);
      if (item.partial) return; // early audio of a sentence whose own item follows
      set((s) => (s.running ? { running: { ...s.running, count: item.count, items: [...s.running.items, { ...item, wavBase64: undefined }] } } : s));
    };
    const unsubscribe = onEvent((e) => {
      if (e.type !== 'job' || e.kind !== 'synthesis' || !e.item) return;
      const item = e.item as SentenceItem;
      if (jobId === e.jobId) take(item);
      else if (jobId === null) buffered.set(e.jobId, [...(buffered.get(e.jobId) ?? []), item]);
    });
    try {
      const r = await api['synthesis.synthesize']({ text, voiceDir: voiceDir ?? undefined, vocoder, seed, stream: true, ...controls });
      jobId = r.jobId;
      useJobsStore.getState().track(r.jobId, 'synthesis', `Synthesize “${text.slice(0, 32)}${text.length > 32 ? '…' : ''}”`);
      set((s) => ({ running: s.running && { ...s.running, jobId: r.jobId } }));
      for (const item of buffered.get(r.jobId) ?? []) take(item);
      const job = await whenJobEnds(r.jobId);
      if (job.state === 'done') {
        const result = job.result as SynthesisJobResult;
        const voice = get().voices.find((v) => v.dir === voiceDir)?.name ?? 'default voice';
        const entry = historyEntry(r.jobId, { text, voice, vocoder, seed, modelInput: modelInputs(result.sentences, phonemizer), ...controls }, result);
        set((s) => ({ notes: result.notes, history: entry ? pushHistory(s.history, entry) : s.history }));
        // Kept with the project (WAV + index), so it is still there after a reload.
        const projectDir = useProjectStore.getState().dir;
        if (entry?.wavBase64 && projectDir) {
          const { wavBase64, ...meta } = entry;
          try {
            const { entries } = await api['synthesis.keep']({ projectDir, entry: meta, wavBase64 });
            if (useProjectStore.getState().dir === projectDir) set({ history: entries, historyProject: projectDir });
          } catch (e) {
            set({ error: `Not kept with the project (it plays until you leave): ${errorMessage(e)}` });
          }
        }
      } else {
        set({ error: job.state === 'cancelled' ? 'Cancelled.' : (job.error?.message ?? 'Synthesis failed.') });
        if (job.state === 'cancelled') player.stop();
      }
    } catch (e) {
      set({ error: errorMessage(e) });
    } finally {
      unsubscribe();
      set({ running: null });
    }
  },

  cancel: async () => {
    const id = get().running?.jobId;
    player.stop();
    if (id) await useJobsStore.getState().cancel(id);
  },

  runAudition: async (projectDir) => {
    const { text, voiceDir, seed } = get();
    // Checked here, before the voice loads: the service would refuse it only after the wait.
    const problem = auditionProblem(text);
    if (problem) return set({ error: problem, audition: null, auditionText: null, auditionB: null });
    const controls = durationRequest(get().voices.find((v) => v.dir === voiceDir), get().pace, get().pitch);
    const seq = ++auditionSeq;
    set({ auditioning: true, error: null, audition: null, auditionB: null });
    const ask = { text, voiceDir: voiceDir ?? undefined, seed, projectDir: projectDir ?? undefined, ...controls };
    try {
      const r = await api['synthesis.audition'](ask);
      if (seq !== auditionSeq) return;
      set({ audition: r, auditionText: text, auditioning: false });
      // No WaveGlow: B is the same mel through a few Griffin-Lim iterations (the mel is deterministic per seed).
      if (!r.waveglow) {
        const b = await api['synthesis.audition']({ ...ask, projectDir: undefined, griffinLimIterations: DRAFT_ITERATIONS });
        if (seq === auditionSeq) set({ auditionB: { ...b.griffinLim, iterations: DRAFT_ITERATIONS } });
      }
    } catch (e) {
      if (seq === auditionSeq) set({ error: errorMessage(e), auditioning: false });
    }
  },
}));

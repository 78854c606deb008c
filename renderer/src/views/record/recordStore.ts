import { create } from 'zustand';
import type { ClipRecord } from '../../../../shared/contract/manifest';
import type { Prompt, PromptBatch, PromptSetId, TakeResult } from '../../../../shared/contract/record';
import { api, errorMessage } from '../../api/client';
import { useProjectStore } from '../../stores/projectStore';
import { type MicInfo, Microphone, micErrorMessage } from './microphone';
import { type RoomTone, bytesToBase64, measureRoomTone, takeWavBase64 } from './takeAudio';

/**
 * The Record view's state. Invariants:
 *  - `prompts` only grows during a session (recorded prompts stay, so ← goes back to them); `index` is inside it;
 *  - `takes[text]` is the newest saved take of that prompt, as the service returned it: a retake replaces it
 *    (the service removed the earlier clip; its original stays in sources/);
 *  - `phase` is 'recording' exactly while the microphone captures a take; nothing else records;
 *  - a take is only sent after the worklet said it has posted every sample ('stopped').
 */
/** A prompt's newest take: saved in this session (`result`), or a flagged one from an earlier session (clip and flags only). */
export interface TakeView {
  clip: ClipRecord;
  problems: string[];
  result?: TakeResult;
}

export type Phase = 'closed' | 'opening' | 'ready' | 'roomtone' | 'recording' | 'saving';

const ROOM_TONE_SECONDS = 3;

export interface RecordState {
  projectDir: string | null;
  set: PromptSetId;
  batch: PromptBatch | null;
  prompts: Prompt[];
  index: number;
  takes: Record<string, TakeView>;
  phase: Phase;
  mic: MicInfo | null;
  deviceId: string | null;
  roomTone: RoomTone | null;
  error: string | null;
  notice: string | null;
  /** The prompt of the newest take saved in this session (its result stays in view after the view moves on). */
  lastTake: string | null;
  /** Stop → saved and checked, for the last take (ms, as the page saw it). */
  lastSaveMs: number | null;
  session: { startedAt: number; addedSeconds: number; takes: number };
  load(projectDir: string, set?: PromptSetId): Promise<void>;
  openMic(deviceId: string | null): Promise<void>;
  closeMic(): void;
  checkRoomTone(): Promise<void>;
  toggle(): Promise<void>;
  retake(): Promise<void>;
  go(delta: number): void;
  loadPromptFile(file: File): Promise<void>;
}

let mic: Microphone | null = null;
let recordingStartedAt = 0;

export function currentMicrophone(): Microphone | null {
  return mic;
}

const key = (t: string) => t.trim();

export const useRecordStore = create<RecordState>()((set, get) => {
  const fetchMore = async () => {
    const { projectDir, set: which, prompts } = get();
    if (!projectDir) return;
    const batch = await api['record.prompts']({ projectDir, set: which, count: 20 });
    const have = new Set(prompts.map((p) => key(p.text)));
    // Flagged takes of earlier sessions come first, each with its take, so Space (or R) records it again in place.
    const retakes = batch.retakes.filter((r) => !have.has(key(r.text)) && !get().takes[key(r.text)]);
    const fresh = batch.prompts.filter((p) => !have.has(key(p.text)));
    set((s) => ({
      batch,
      prompts: [...s.prompts, ...retakes.map((r) => ({ line: r.line, text: r.text, newDiphones: 0, newPhonemes: 0 })), ...fresh],
      takes: { ...s.takes, ...Object.fromEntries(retakes.map((r) => [key(r.text), { clip: r.clip, problems: r.problems }])) },
    }));
  };

  const saveTake = async (samples: Float32Array, rate: number, stoppedAt: number) => {
    const { projectDir, prompts, index, takes } = get();
    const prompt = prompts[index];
    if (!projectDir || !prompt) return;
    const earlier = takes[key(prompt.text)];
    set({ phase: 'saving', error: null });
    try {
      const r = await api['record.saveTake']({ projectDir, text: prompt.text, wavBase64: takeWavBase64(samples, rate), replaces: earlier?.clip.id ?? null });
      const ms = Math.round(performance.now() - stoppedAt);
      set((s) => ({
        takes: { ...s.takes, [key(prompt.text)]: { clip: r.clip, problems: r.problems, result: r } },
        lastSaveMs: ms,
        lastTake: key(prompt.text),
        phase: 'ready',
        session: { ...s.session, takes: s.session.takes + 1, addedSeconds: s.session.addedSeconds + r.clip.durationSeconds - (earlier?.clip.durationSeconds ?? 0) },
        // A clean take moves on to the next prompt; a flagged one stays for a retake.
        index: r.problems.length === 0 && s.index === index ? Math.min(s.prompts.length - 1, index + 1) : s.index,
      }));
      void useProjectStore.getState().refresh();
      // Coverage, progress and the next picks as the service now sees the project.
      await fetchMore().catch((e) => set({ error: errorMessage(e) }));
    } catch (e) {
      set({ phase: 'ready', error: `The take was not saved: ${errorMessage(e)}` });
    }
  };

  return {
    projectDir: null,
    set: 'builtin',
    batch: null,
    prompts: [],
    index: 0,
    takes: {},
    phase: 'closed',
    mic: null,
    deviceId: null,
    roomTone: null,
    error: null,
    notice: null,
    lastSaveMs: null,
    lastTake: null,
    session: { startedAt: Date.now(), addedSeconds: 0, takes: 0 },

    load: async (projectDir, which) => {
      const setId = which ?? (get().projectDir === projectDir ? get().set : 'builtin');
      set({ projectDir, set: setId, prompts: [], index: 0, batch: null, error: null, ...(get().projectDir !== projectDir ? { takes: {}, session: { startedAt: Date.now(), addedSeconds: 0, takes: 0 } } : {}) });
      try {
        await fetchMore();
      } catch (e) {
        set({ error: errorMessage(e) });
      }
    },

    openMic: async (deviceId) => {
      get().closeMic();
      set({ phase: 'opening', error: null, deviceId });
      try {
        mic = await Microphone.open(deviceId);
        set({ phase: 'ready', mic: mic.info, roomTone: deviceId === get().deviceId ? get().roomTone : null });
      } catch (e) {
        mic = null;
        set({ phase: 'closed', mic: null, error: micErrorMessage(e) });
      }
    },

    closeMic: () => {
      mic?.close();
      mic = null;
      set({ phase: 'closed', mic: null });
    },

    checkRoomTone: async () => {
      if (!mic || get().phase !== 'ready') return;
      set({ phase: 'roomtone', error: null });
      mic.start();
      await new Promise((r) => setTimeout(r, ROOM_TONE_SECONDS * 1000));
      const { samples } = await mic.stop();
      set({ phase: 'ready', roomTone: measureRoomTone(samples, mic.info.captureRate) });
    },

    toggle: async () => {
      const { phase } = get();
      if (!mic) return;
      if (phase === 'ready') {
        if (!get().roomTone || !get().prompts[get().index]) return;
        mic.start();
        recordingStartedAt = performance.now();
        set({ phase: 'recording', error: null, notice: null });
      } else if (phase === 'recording') {
        const { samples } = await mic.stop();
        const stoppedAt = performance.now();
        if (stoppedAt - recordingStartedAt < 300) {
          set({ phase: 'ready', notice: 'That take was too short to keep. Press Space, read the prompt, press Space again.' });
          return;
        }
        await saveTake(samples, mic.info.captureRate, stoppedAt);
      }
    },

    retake: async () => {
      if (get().phase === 'ready') await get().toggle();
    },

    go: (delta) => {
      const { phase, index, prompts } = get();
      if (phase === 'recording' || phase === 'saving') return;
      const next = Math.max(0, Math.min(prompts.length - 1, index + delta));
      set({ index: next, notice: null, error: null });
      if (next >= prompts.length - 2) void fetchMore().catch((e) => set({ error: errorMessage(e) }));
    },

    loadPromptFile: async (file) => {
      const { projectDir } = get();
      if (!projectDir) return;
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const r = await api['record.loadPrompts']({ projectDir, name: file.name, bytesBase64: bytesToBase64(bytes) });
        await get().load(projectDir, 'project');
        set({ notice: `Loaded ${r.prompts} prompt${r.prompts === 1 ? '' : 's'} from ${file.name}.${r.warnings.length ? ' ' + r.warnings.join(' ') : ''}` });
      } catch (e) {
        set({ error: errorMessage(e) });
      }
    },
  };
});

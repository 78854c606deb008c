import { create } from 'zustand';
import type { ClipRecord, ClipStatus, Manifest } from '../../../shared/contract/manifest';
import { describeCommand, type ClipEditApi, type EditCommand, type EditResult, updateCommand } from '../views/editor/editCommands';
import { EditRunner } from '../views/editor/editRunner';
import { patchClips } from '../views/editor/manifestPatch';

/**
 * The clip editor's state: which clip is open, the transcript being typed, save status,
 * undo/redo availability, loop and zoom. Edits go through an EditRunner (API + history).
 *
 * Invariants:
 *  - `draftText` is what the transcript field shows; it equals the open clip's text except while a
 *    debounced save is pending (`textDirty`), and is reset from the clip after undo/redo/open;
 *  - `save.state` is 'saving' while any step is in flight, 'error' after a failed step (until the
 *    next success), else 'saved' once anything was saved;
 *  - the history belongs to one project: `attach` with another project starts a new one.
 */
export type SaveState = 'idle' | 'saving' | 'saved' | 'error';

export interface EditorHost {
  api: ClipEditApi;
  projectDir: string;
  getManifest(): Manifest | null;
  setManifest(m: Manifest): void;
}

export const TEXT_SAVE_DELAY_MS = 600;

interface EditorState {
  clipId: string | null;
  draftText: string;
  textDirty: boolean;
  save: { state: SaveState; message: string | null; at: number | null };
  canUndo: boolean;
  canRedo: boolean;
  /** Last thing done ("undo trim clip_0003"), for the status line. */
  lastAction: string | null;
  loop: boolean;
  /** Pixels per second of the waveform; 0 = fit to width. */
  zoom: number;

  attach(host: EditorHost): void;
  open(clipId: string | null): void;
  setDraftText(text: string): void;
  flushText(): Promise<void>;
  run(cmd: EditCommand, label?: string): Promise<EditResult | null>;
  setStatus(status: ClipStatus): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  setLoop(on: boolean): void;
  setZoom(pxPerSec: number): void;
  /** Waits for pending saves (tests, navigation). */
  idle(): Promise<void>;
}

let host: EditorHost | null = null;
let runner: EditRunner | null = null;
let textTimer: ReturnType<typeof setTimeout> | null = null;
let inFlight = 0;

function clipById(id: string | null): ClipRecord | null {
  if (!id || !host) return null;
  return host.getManifest()?.clips.find((c) => c.id === id) ?? null;
}

/** Status after a transcript change: typing into an untranscribed clip makes it transcribed; clearing it undoes that. */
export function statusForText(current: ClipStatus, text: string | null): ClipStatus {
  const empty = text == null || text.trim() === '';
  if (empty) return current === 'rejected' ? current : 'untranscribed';
  return current === 'untranscribed' ? 'transcribed' : current;
}

export const useEditorStore = create<EditorState>((set, get) => {
  function applied(r: EditResult, label: string): void {
    if (!host) return;
    const m = host.getManifest();
    if (m) host.setManifest(patchClips(m, r));
    const s = get();
    let clipId = s.clipId;
    for (const [from, to] of r.renames) if (clipId === from) clipId = to;
    if (clipId && r.removed.includes(clipId)) clipId = r.focus;
    const clip = clipById(clipId);
    set({
      clipId,
      canUndo: runner?.canUndo ?? false,
      canRedo: runner?.canRedo ?? false,
      lastAction: label,
      ...(s.textDirty ? {} : { draftText: clip?.text ?? '' }),
    });
  }

  async function track<T>(work: () => Promise<T>): Promise<T | null> {
    inFlight++;
    set({ save: { ...get().save, state: 'saving' } });
    try {
      const v = await work();
      inFlight--;
      if (!inFlight) set({ save: { state: 'saved', message: null, at: Date.now() } });
      return v;
    } catch (e) {
      inFlight--;
      set({ save: { state: 'error', message: (e as Error).message ?? String(e), at: Date.now() } });
      return null;
    }
  }

  return {
    clipId: null,
    draftText: '',
    textDirty: false,
    save: { state: 'idle', message: null, at: null },
    canUndo: false,
    canRedo: false,
    lastAction: null,
    loop: false,
    zoom: 0,

    attach(h) {
      const same = host && runner && host.projectDir === h.projectDir && host.api === h.api;
      host = h;
      if (!same) {
        runner = new EditRunner(h.api, h.projectDir);
        set({ canUndo: false, canRedo: false, lastAction: null, save: { state: 'idle', message: null, at: null } });
      }
    },

    open(clipId) {
      if (get().textDirty) void get().flushText();
      const clip = clipById(clipId);
      set({ clipId, draftText: clip?.text ?? '', textDirty: false });
    },

    setDraftText(text) {
      set({ draftText: text, textDirty: true });
      if (textTimer) clearTimeout(textTimer);
      textTimer = setTimeout(() => void get().flushText(), TEXT_SAVE_DELAY_MS);
    },

    async flushText() {
      if (textTimer) clearTimeout(textTimer);
      textTimer = null;
      const { textDirty, draftText, clipId } = get();
      if (!textDirty) return;
      set({ textDirty: false });
      const clip = clipById(clipId);
      if (!clip) return;
      const text = draftText.trim() === '' ? null : draftText;
      if (text === clip.text) return;
      await get().run(updateCommand(clip, { text, status: statusForText(clip.status, text) }));
    },

    async run(cmd, label = describeCommand(cmd)) {
      const r = runner;
      if (!r) throw new Error('The editor is not attached to a project');
      return track(async () => {
        const res = await r.execute(cmd);
        applied(res, label);
        return res;
      });
    },

    async setStatus(status) {
      await get().flushText();
      const clip = clipById(get().clipId);
      if (!clip || clip.status === status) return;
      await get().run(updateCommand(clip, { status }));
    },

    async undo() {
      await get().flushText();
      const r = runner;
      if (!r?.canUndo) return;
      const label = `undo ${describeCommand(r.snapshot.past.at(-1)!)}`;
      await track(async () => {
        const res = await r.undo();
        if (res) applied(res, label);
      });
    },

    async redo() {
      await get().flushText();
      const r = runner;
      if (!r?.canRedo) return;
      const label = `redo ${describeCommand(r.snapshot.future.at(-1)!)}`;
      await track(async () => {
        const res = await r.redo();
        if (res) applied(res, label);
      });
    },

    setLoop(loop) {
      set({ loop });
    },
    setZoom(zoom) {
      set({ zoom: Math.max(0, Math.min(5000, zoom)) });
    },

    async idle() {
      await get().flushText();
      await runner?.idle();
    },
  };
});

import { create } from 'zustand';
import type { ClipRecord, Manifest } from '../../../shared/contract/manifest';
import { api, errorMessage } from '../api/client';

/**
 * The open project, as the services last reported it.
 *
 * Invariants:
 *  - `manifest !== null` implies `dir !== null`, and `manifest` belongs to `dir`;
 *  - `manifest` is always something a service returned (project.open/create, or a ClipRecord a
 *    clips.* method returned, merged with `replaceClip`): the renderer never invents project data;
 *  - `revision` increases on every change of `manifest`, so views can memoize on it;
 *  - an `open` that resolves after a later `open`/`close` is dropped (last request wins).
 */
export interface ProjectState {
  dir: string | null;
  manifest: Manifest | null;
  revision: number;
  loading: boolean;
  error: string | null;
  open(dir: string): Promise<boolean>;
  create(dir: string, name?: string): Promise<boolean>;
  /** Reloads the manifest from disk (after jobs: import, re-render, align). */
  refresh(): Promise<void>;
  /** Puts a manifest a service returned (e.g. after an edit) in place. */
  setManifest(m: Manifest): void;
  /** Replaces one clip with the record a clips.* method returned (no-op when the clip is gone). */
  replaceClip(clip: ClipRecord): void;
  close(): void;
}

const LAST_KEY = 'formant.lastProject';
let requestSeq = 0;

export const useProjectStore = create<ProjectState>()((set, get) => {
  const load = async (dir: string, fetch: () => Promise<Manifest>): Promise<boolean> => {
    const seq = ++requestSeq;
    set({ loading: true, error: null });
    try {
      const manifest = await fetch();
      if (seq !== requestSeq) return false;
      set((s) => ({ dir, manifest, revision: s.revision + 1, loading: false, error: null }));
      sessionStorage.setItem(LAST_KEY, dir);
      return true;
    } catch (e) {
      if (seq === requestSeq) set({ loading: false, error: errorMessage(e) });
      return false;
    }
  };
  return {
    dir: null,
    manifest: null,
    revision: 0,
    loading: false,
    error: null,
    open: (dir) => load(dir, () => api['project.open']({ dir })),
    create: (dir, name) => load(dir, () => api['project.create']({ dir, name: name || undefined })),
    refresh: async () => {
      const dir = get().dir;
      if (!dir) return;
      const seq = requestSeq;
      try {
        const manifest = await api['project.open']({ dir });
        // Dropped when another project was opened meanwhile.
        if (seq === requestSeq && get().dir === dir) set((s) => ({ manifest, revision: s.revision + 1, error: null }));
      } catch (e) {
        if (get().dir === dir) set({ error: errorMessage(e) });
      }
    },
    setManifest: (manifest) => set((s) => (s.dir ? { manifest, revision: s.revision + 1 } : s)),
    replaceClip: (clip) =>
      set((s) => {
        if (!s.manifest) return s;
        const i = s.manifest.clips.findIndex((c) => c.id === clip.id);
        if (i < 0) return s;
        const clips = s.manifest.clips.slice();
        clips[i] = clip;
        return { manifest: { ...s.manifest, clips }, revision: s.revision + 1 };
      }),
    close: () => {
      requestSeq++;
      sessionStorage.removeItem(LAST_KEY);
      set((s) => ({ dir: null, manifest: null, revision: s.revision + 1, loading: false, error: null }));
    },
  };
});

/** The project that was open in this tab before a reload, if any. */
export function lastOpenProject(): string | null {
  return sessionStorage.getItem(LAST_KEY);
}

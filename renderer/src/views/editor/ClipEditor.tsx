import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ClipRecord, ClipStatus } from '../../../../shared/contract/manifest';
import { api, errorMessage, mediaUrl } from '../../api/client';
import { useDatasetStore } from '../../stores/datasetStore';
import { useEditorStore } from '../../stores/editorStore';
import { useProjectStore } from '../../stores/projectStore';
import { queryClips } from '../dataset/clipQuery';
import { contentSpan, extendRegion, regionFromDrag, splitPointAt, trimInAt, trimOutAt } from './clipTimeline';
import { mergeCommand, nextInSource, regionCommand, splitCommand, type Region } from './editCommands';
import { actionForKey, type EditorAction } from './keymap';
import { MelView } from './MelView';
import { createViewChannel } from './viewWindow';
import { RecordingOverview } from './RecordingOverview';
import { TranscriptPanel } from './TranscriptPanel';
import { LONG_AUDIO_SECONDS, WaveformPanel, type WaveformHandle } from './WaveformPanel';
import './editor.css';

/**
 * The clip editor: waveform + ruler + regions + spectrogram (wavesurfer), the models' mel view,
 * the transcript with its normalized form, and keyboard-first editing (see keymap.ts). Every edit
 * goes through the editor store (API + undo history) and is saved at once; text after a pause.
 */
export interface ClipEditorProps {
  clipId?: string | null;
  /** Back to the dataset view (Escape). */
  onClose?: () => void;
}

const STATUS_CHOICES: ClipStatus[] = ['untranscribed', 'transcribed', 'reviewed', 'rejected'];

export function ClipEditor({ clipId: requested, onClose }: ClipEditorProps) {
  const dir = useProjectStore((s) => s.dir);
  const manifest = useProjectStore((s) => s.manifest);
  const ed = useEditorStore();
  const wave = useRef<WaveformHandle>(null);
  const root = useRef<HTMLDivElement>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const [audioError, setAudioError] = useState<string | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [peaks, setPeaks] = useState<{ key: string; peaks: number[] } | null>(null);
  const [playing, setPlaying] = useState(false);
  // The cursor as a time in the recording, so it stays where it was when an edit re-renders the clip
  // (the new WAV starts elsewhere in the recording): `loaded` is the clip record whose audio is showing.
  const cursorRec = useRef<{ id: string; rec: number } | null>(null);
  const loaded = useRef<ClipRecord | null>(null);

  // Attach the store to this project, then open the requested clip (or the table's cursor, or the first).
  useEffect(() => {
    if (!dir) return;
    useEditorStore.getState().attach({
      api,
      projectDir: dir,
      getManifest: () => useProjectStore.getState().manifest,
      setManifest: (m) => useProjectStore.getState().setManifest(m),
    });
  }, [dir]);
  useEffect(() => {
    if (!dir) return;
    const m = useProjectStore.getState().manifest;
    const id = requested ?? useEditorStore.getState().clipId ?? useDatasetStore.getState().selection.cursor ?? m?.clips[0]?.id ?? null;
    useEditorStore.getState().open(id);
  }, [requested, dir]);
  // The URL names the clip being edited, so a reload opens it again.
  useEffect(() => {
    if (ed.clipId && window.location.hash.startsWith('#/editor')) window.history.replaceState(null, '', `#/editor/${encodeURIComponent(ed.clipId)}`);
  }, [ed.clipId]);
  // Leaving the editor saves pending text.
  useEffect(() => () => void useEditorStore.getState().flushText(), []);

  const clip = useMemo(() => manifest?.clips.find((c) => c.id === ed.clipId) ?? null, [manifest, ed.clipId]);
  const pad = manifest?.settings.padSeconds ?? 0.5;
  const source = useMemo(() => (clip ? manifest?.sources.find((s) => s.id === clip.sourceId) ?? null : null), [manifest, clip]);
  const sourceDuration = source?.durationSeconds ?? null;
  const sourceClips = useMemo(() => (clip && manifest ? manifest.clips.filter((c) => c.sourceId === clip.sourceId) : []), [manifest, clip]);

  // Navigation follows the table's order as it was when the editor opened (filters may hide an edited clip).
  const navOrder = useRef<string[]>([]);
  useEffect(() => {
    const m = useProjectStore.getState().manifest;
    if (!m) return;
    const s = m.settings;
    navOrder.current = queryClips(m.clips, useDatasetStore.getState().query, { minClipSeconds: s.minClipSeconds, maxClipSeconds: s.maxClipSeconds }).map((c) => c.id);
  }, [dir]);
  const neighbour = useCallback((delta: number): string | null => {
    const m = useProjectStore.getState().manifest;
    const id = useEditorStore.getState().clipId;
    if (!m || !id) return null;
    let order = navOrder.current;
    let i = order.indexOf(id);
    if (i < 0) {
      order = m.clips.map((c) => c.id);
      i = order.indexOf(id);
    }
    return order[i + delta] ?? null;
  }, []);
  const go = useCallback(
    (delta: number) => {
      const next = neighbour(delta);
      if (!next) return setHint(delta > 0 ? 'This is the last clip.' : 'This is the first clip.');
      useEditorStore.getState().open(next);
      useDatasetStore.getState().focus(next);
      setHint(null);
    },
    [neighbour],
  );

  const long = (clip?.durationSeconds ?? 0) > LONG_AUDIO_SECONDS;
  // The audio's version: its render key (source, region, settings), so a transcript edit does not reload it.
  const version = clip ? clip.renderKey ?? clip.updatedAt : '';
  const url = clip && dir ? mediaUrl(dir, clip.wav, version) : null;
  const peaksKey = `${url}`;
  useEffect(() => {
    setAudioError(null);
    if (!long || !clip || !dir) return;
    let live = true;
    api['media.peaks']({ projectDir: dir, path: clip.wav, buckets: 20_000 }).then(
      (p) => live && setPeaks({ key: peaksKey, peaks: p.peaks }),
      (e) => live && setAudioError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [long, peaksKey, clip, dir]);

  const trim = useMemo(() => (clip ? contentSpan(clip, pad) : null), [clip, pad]);
  // The waveform's zoom and scroll, for the mel view (a new channel per audio file).
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `url` is the reason for a new channel, not an input of it
  const view = useMemo(() => createViewChannel(), [url]);
  useEffect(() => {
    loaded.current = null; // a new file is loading: its times are not the old one's
  }, [url]);
  const onWaveReady = useCallback(() => {
    const c = current();
    const prev = cursorRec.current;
    loaded.current = c;
    if (c && prev && prev.id === c.id) wave.current?.setTime(Math.min(Math.max(0, prev.rec - c.sourceStart + pad), c.durationSeconds));
  }, [pad]);
  const onWaveTime = useCallback(
    (t: number) => {
      const c = loaded.current;
      if (c) cursorRec.current = { id: c.id, rec: c.sourceStart + t - pad };
    },
    [pad],
  );
  const getTime = useCallback(() => wave.current?.time() ?? 0, []);

  // ---- actions ----
  const current = (): ClipRecord | null => {
    const m = useProjectStore.getState().manifest;
    const id = useEditorStore.getState().clipId;
    return m?.clips.find((c) => c.id === id) ?? null;
  };
  const applyRegion = (c: ClipRecord, r: Region | null, why: string) => {
    if (!r) return setHint(why);
    setHint(null);
    void useEditorStore.getState().run(regionCommand(c, r));
  };

  const dispatch = (a: EditorAction, inText: boolean) => {
    const c = current();
    const store = useEditorStore.getState();
    const t = wave.current?.time() ?? 0;
    switch (a.type) {
      case 'playPause':
        return wave.current?.playPause();
      case 'toggleLoop':
        return store.setLoop(!store.loop);
      case 'trimIn':
        return c && applyRegion(c, trimInAt(c, pad, t), 'Put the cursor inside the clip, before its end, to trim in.');
      case 'trimOut':
        return c && applyRegion(c, trimOutAt(c, pad, t), 'Put the cursor inside the clip, after its start, to trim out.');
      case 'extendIn':
        return c && applyRegion(c, extendRegion(c, 'in', sourceDuration), 'The clip already starts at the beginning of its recording.');
      case 'extendOut':
        return c && applyRegion(c, extendRegion(c, 'out', sourceDuration), 'The clip already ends at the end of its recording.');
      case 'split': {
        if (!c) return;
        const at = splitPointAt(c, pad, t);
        if (at == null) return setHint('Put the cursor inside the clip to split it there.');
        setHint(null);
        return void store.run(splitCommand(c, at));
      }
      case 'mergeNext': {
        if (!c) return;
        const m = useProjectStore.getState().manifest;
        const next = m ? nextInSource(m.clips, c) : null;
        if (!next) return setHint('No later clip from the same recording to merge with.');
        setHint(null);
        return void store.run(mergeCommand(c, next));
      }
      case 'saveNext':
        return void (async () => {
          await store.flushText();
          const now = current();
          if (now?.text && (now.status === 'transcribed' || now.status === 'untranscribed')) await useEditorStore.getState().setStatus('reviewed');
          go(1);
        })();
      case 'undo':
        return void store.undo();
      case 'redo':
        return void store.redo();
      case 'seekBy':
        return wave.current?.setTime(t + a.seconds);
      case 'zoom': {
        const base = store.zoom > 0 ? store.zoom : wave.current?.fitPxPerSec() ?? 100;
        const fit = wave.current?.fitPxPerSec() ?? 0;
        const z = base * a.factor;
        return store.setZoom(z <= fit * 1.01 ? 0 : z);
      }
      case 'prevClip':
        return go(-1);
      case 'nextClip':
        return go(1);
      case 'escape':
        if (inText) return textArea.current?.blur();
        if (wave.current?.selection()) return wave.current.clearSelection();
        void store.flushText();
        if (store.clipId) useDatasetStore.getState().focus(store.clipId); // the table's cursor: the clip just edited
        return onClose?.();
    }
  };
  const dispatchRef = useRef(dispatch);
  dispatchRef.current = dispatch;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      // Only when the editor (or nothing in particular) has focus: dialogs keep their keys.
      if (target && target !== document.body && !root.current?.contains(target)) return;
      // Form fields keep their letters (the status <select> types to choose); only chords, Enter and Esc act there.
      const inText = !!target && (['TEXTAREA', 'INPUT', 'SELECT'].includes(target.tagName) || target.isContentEditable);
      if (e.repeat && (e.key === 'Enter' || e.key.toLowerCase() === 's' || e.key.toLowerCase() === 'm')) return;
      const a = actionForKey({ key: e.key, ctrl: e.ctrlKey, meta: e.metaKey, shift: e.shiftKey, alt: e.altKey, inText });
      if (!a) return;
      // A button with focus would also "click" on Space/Enter.
      e.preventDefault();
      dispatchRef.current(a, inText);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!dir || !manifest) return <div className="clip-editor empty-state">Open a project first.</div>;
  if (!clip)
    return (
      <div className="clip-editor empty-state">
        {manifest.clips.length ? 'Pick a clip in the Dataset view (double-click or Enter).' : 'This project has no clips yet: import recordings first.'}
      </div>
    );

  const index = navOrder.current.indexOf(clip.id);
  const saveText =
    ed.save.state === 'saving' ? 'Saving…' : ed.save.state === 'error' ? `Not saved: ${ed.save.message}` : ed.textDirty ? 'Editing…' : ed.save.state === 'saved' ? 'All changes saved' : 'Saved';
  const wavePeaks = long ? (peaks?.key === peaksKey ? peaks.peaks : null) : undefined;

  return (
    <div className="clip-editor" ref={root} data-testid="clip-editor" tabIndex={-1}>
      <header className="ce-header">
        <div className="ce-nav">
          <button type="button" className="icon-button" title="Previous clip (PageUp)" onClick={() => go(-1)}>
            ‹
          </button>
          <div className="ce-title">
            <span className="ce-id" data-testid="editor-clip-id">{clip.id}</span>
            <span className="ce-sub">
              {index >= 0 ? `${index + 1} of ${navOrder.current.length} · ` : ''}
              {source ? `${source.originalPath.split(/[\\/]/).pop()} ` : ''}
              {clip.sourceStart.toFixed(2)}–{clip.sourceEnd.toFixed(2)} s{sourceDuration ? ` of ${sourceDuration.toFixed(1)} s` : ''}
            </span>
          </div>
          <button type="button" className="icon-button" title="Next clip (PageDown)" onClick={() => go(1)}>
            ›
          </button>
        </div>
        <div className="ce-stats">
          <span>
            <strong data-testid="editor-duration">{clip.durationSeconds.toFixed(2)}</strong> s rendered
          </span>
          <span>
            <strong>{(clip.sourceEnd - clip.sourceStart).toFixed(2)}</strong> s speech
          </span>
          {clip.qa && (
            <span>
              peak <strong>{clip.qa.peakDbfs.toFixed(1)}</strong> dBFS
            </span>
          )}
          {clip.qa?.snrDb != null && (
            <span>
              SNR <strong>{clip.qa.snrDb.toFixed(0)}</strong> dB
            </span>
          )}
          {clip.qa?.flags.length ? <span className="ce-flags">{clip.qa.flags.join(' · ')}</span> : null}
        </div>
        <label className="ce-status">
          <select value={clip.status} onChange={(e) => void ed.setStatus(e.target.value as ClipStatus)} data-testid="editor-status">
            {STATUS_CHOICES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <div className={`ce-save ${ed.save.state}${ed.textDirty ? ' dirty' : ''}`} data-testid="save-state" data-state={ed.textDirty ? 'editing' : ed.save.state} role="status">
          <span className="dot" />
          {saveText}
        </div>
      </header>

      <div className="ce-toolbar" role="toolbar" aria-label="Clip editing">
        <button
          type="button"
          className={`tb primary${playing ? ' playing' : ''}`}
          onClick={() => wave.current?.playPause()}
          title={playing ? 'Pause (Space)' : 'Play (Space)'}
          aria-pressed={playing}
          data-testid="play"
        >
          {playing ? '❙❙ Pause' : '▶︎ Play'} <kbd>Space</kbd>
        </button>
        <button type="button" className={`tb${ed.loop ? ' on' : ''}`} aria-pressed={ed.loop} onClick={() => ed.setLoop(!ed.loop)} title="Loop the selection, or the trim (L)">
          ⟲ Loop <kbd>L</kbd>
        </button>
        <span className="tb-sep" />
        <button type="button" className="tb" onClick={() => dispatch({ type: 'trimIn' }, false)} title="Trim in at the cursor (I)">
          ⇤ In <kbd>I</kbd>
        </button>
        <button type="button" className="tb" onClick={() => dispatch({ type: 'trimOut' }, false)} title="Trim out at the cursor (O)">
          Out ⇥ <kbd>O</kbd>
        </button>
        <button type="button" className="tb" onClick={() => dispatch({ type: 'extendIn' }, false)} title="Extend 0.25 s earlier into the recording (Shift+I)">
          ← Extend
        </button>
        <button type="button" className="tb" onClick={() => dispatch({ type: 'extendOut' }, false)} title="Extend 0.25 s later into the recording (Shift+O)">
          Extend →
        </button>
        <button type="button" className="tb" onClick={() => dispatch({ type: 'split' }, false)} title="Split at the cursor (S)">
          ✂ Split <kbd>S</kbd>
        </button>
        <button type="button" className="tb" onClick={() => dispatch({ type: 'mergeNext' }, false)} title="Merge with the next clip of the recording (M)">
          ⊕ Merge next <kbd>M</kbd>
        </button>
        <span className="tb-sep" />
        <button type="button" className="tb" disabled={!ed.canUndo} onClick={() => void ed.undo()} title="Undo (Ctrl/⌘+Z)" data-testid="undo">
          ↶ Undo
        </button>
        <button type="button" className="tb" disabled={!ed.canRedo} onClick={() => void ed.redo()} title="Redo (Ctrl/⌘+Shift+Z)" data-testid="redo">
          ↷ Redo
        </button>
        <span className="tb-grow" />
        <button type="button" className="tb" onClick={() => dispatch({ type: 'zoom', factor: 1 / 1.5 }, false)} title="Zoom out (−)">
          −
        </button>
        <button type="button" className="tb tb-zoom num" onClick={() => ed.setZoom(0)} title="Fit the whole clip">
          {ed.zoom > 0 ? `${Math.round(ed.zoom)} px/s` : 'fit'}
        </button>
        <button type="button" className="tb" onClick={() => dispatch({ type: 'zoom', factor: 1.5 }, false)} title="Zoom in (+)">
          +
        </button>
        <TimeReadout getTime={getTime} pad={pad} sourceStart={clip.sourceStart} />
      </div>

      <section className="ce-audio">
        {source && (
          <RecordingOverview
            projectDir={dir}
            source={source}
            clips={sourceClips}
            currentId={clip.id}
            onOpen={(id) => {
              useEditorStore.getState().open(id);
              useDatasetStore.getState().focus(id);
            }}
          />
        )}
        {url && (!long || wavePeaks) ? (
          <WaveformPanel
            ref={wave}
            key={clip.id}
            url={url}
            duration={clip.durationSeconds}
            peaks={wavePeaks ?? null}
            trim={trim}
            loop={ed.loop}
            zoom={ed.zoom}
            spectrogram={!long}
            onError={setAudioError}
            onView={view.set}
            onReady={onWaveReady}
            onTime={onWaveTime}
            onPlaying={setPlaying}
            onTrimDrag={(r) => {
              const c = current();
              if (c) applyRegion(c, regionFromDrag(c, pad, r, sourceDuration), 'That trim would leave the clip empty.');
            }}
          />
        ) : (
          <div className="wf-loading static">{audioError ?? 'Loading waveform…'}</div>
        )}
        {audioError && <div className="ce-error">Audio: {audioError}</div>}
        {url && (!long || wavePeaks) && (
          <MelView url={url} preset={manifest.settings.melPreset} duration={clip.durationSeconds} trim={trim} getTime={getTime} onSeek={(t) => wave.current?.setTime(t)} view={view} />
        )}
      </section>

      <TranscriptPanel ref={textArea} value={ed.draftText} onChange={ed.setDraftText} />

      <footer className="ce-footer">
        <span className="ce-hint" role="status">
          {hint ?? (ed.lastAction ? `Last: ${ed.lastAction}` : 'Ruler: time in the clip (0.5 s pads included); recording time is at the right of the toolbar. Drag the trim edges, or drag on the waveform to select a loop.')}
        </span>
        <span className="ce-keys">
          <kbd>Enter</kbd> review + next · <kbd>PgUp</kbd>/<kbd>PgDn</kbd> clips · <kbd>←</kbd>/<kbd>→</kbd> nudge · <kbd>Ctrl</kbd>+<kbd>Z</kbd> undo · <kbd>Esc</kbd> back
        </span>
      </footer>
    </div>
  );
}

/** Cursor time in the clip and in the recording, refreshed every frame without re-rendering the editor. */
function TimeReadout({ getTime, pad, sourceStart }: { getTime(): number; pad: number; sourceStart: number }) {
  const el = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    let raf = 0;
    const tick = () => {
      const t = getTime();
      // In the pads the recording time is before/after the clip; never below 0 (no "rec -0.00").
      if (el.current) el.current.textContent = `${t.toFixed(3)} s · rec ${Math.max(0, sourceStart + t - pad).toFixed(2)}`;
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [getTime, pad, sourceStart]);
  return <span ref={el} className="tb-time num" data-testid="cursor-time" />;
}

import { useEffect, useMemo, useRef, useState } from 'react';
import { api, errorMessage, mediaUrl, pathForFile } from '../../api/client';
import { ProgressBar } from '../../components/ProgressBar';
import { useJobsStore } from '../../stores/jobsStore';
import { useProjectStore } from '../../stores/projectStore';
import { uploadFile } from '../importExport/upload';
import { useAlignStore } from './alignStore';
import { AlignWaveform } from './AlignWaveform';
import { CONFIDENCE_MEANING, LOW_CONFIDENCE, reviewOrder, segmentExplanation, UNMATCHED_LABELS } from './segmentEdits';
import './align.css';

/**
 * Align a long recording with its transcript: drop the audio and the text, run, review the
 * sentences on the waveform (low-confidence ones first), fix boundaries and texts, accept them
 * into the dataset. Logic lives in alignStore / segmentEdits; this renders it.
 */
const AUDIO_RE = /\.(wav|mp3|flac|ogg|opus|m4a|aac|wma|aiff?)$/i;

export function AlignView() {
  const dir = useProjectStore((s) => s.dir);
  const refresh = useProjectStore((s) => s.refresh);
  const st = useAlignStore();
  const job = useJobsStore((s) => (st.jobId ? s.jobs[st.jobId] : undefined));
  const [uploading, setUploading] = useState<number | null>(null);
  const [play, setPlay] = useState<{ start: number; end: number; n: number } | null>(null);
  const [peaks, setPeaks] = useState<{ path: string; peaks: number[] | null } | null>(null);
  const [now, setNow] = useState(0);
  const picker = useRef<HTMLInputElement | null>(null);
  const run = st.run;
  const segments = st.segments;
  const order = useMemo(() => (segments ? reviewOrder(segments) : []), [segments]);
  // Speech in no segment (before the first / after the last sentence): reviewed first.
  const unmatched = run?.unmatchedSpeech ?? [];
  const low = (segments ? segments.filter((s) => s.confidence < LOW_CONFIDENCE).length : 0) + unmatched.length;

  // The project's pending alignment (after a reload, or on opening the project) comes back as it was left.
  useEffect(() => {
    if (dir) void useAlignStore.getState().restore(dir);
  }, [dir]);

  useEffect(() => {
    if (!dir || !run) return;
    if (!/\.wav$/i.test(run.sourcePath)) return setPeaks({ path: run.sourcePath, peaks: null });
    let live = true;
    api['media.peaks']({ projectDir: dir, path: run.sourcePath, buckets: Math.min(200_000, Math.ceil(run.durationSeconds * 50)) })
      .then((p) => live && setPeaks({ path: run.sourcePath, peaks: p.peaks }))
      .catch(() => live && setPeaks({ path: run.sourcePath, peaks: null }));
    return () => {
      live = false;
    };
  }, [dir, run]);

  if (!dir) return <div className="view-placeholder">Open a project to align a recording with its transcript.</div>;

  const takeFiles = async (files: File[]) => {
    for (const f of files) {
      if (/\.(txt|lab)$/i.test(f.name)) st.setTranscript(await f.text());
      else if (AUDIO_RE.test(f.name)) {
        const p = pathForFile(f);
        if (p) st.setAudio(p, f.name);
        else {
          setUploading(0);
          try {
            const batch = `align-${Date.now()}`;
            const r = await uploadFile(dir, batch, f.name, f, setUploading);
            st.setAudio(r.path, f.name, batch);
          } catch (e) {
            useAlignStore.setState({ error: errorMessage(e) });
          } finally {
            setUploading(null);
          }
        }
      }
    }
  };

  const running = Boolean(st.jobId);
  return (
    <div className="align-view">
      <section
        className="align-inputs"
        data-testid="align-drop"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          e.stopPropagation();
          void takeFiles(Array.from(e.dataTransfer.files));
        }}
      >
        <div className="align-audio">
          <strong>Recording:</strong> {st.audioName ?? <em>drop an audio file here (or choose one)</em>}
          {/* A real button, so the picker is reachable with Tab and opens with Enter or Space. */}
          <button type="button" className="button" onClick={() => picker.current?.click()} title="Choose the recording and its .txt (both at once)">
            Choose…
          </button>
          <input
            ref={picker}
            type="file"
            hidden
            tabIndex={-1}
            accept="audio/*,.wav,.mp3,.flac,.ogg,.m4a,.txt"
            multiple
            onChange={(e) => {
              void takeFiles(Array.from(e.target.files ?? []));
              e.target.value = '';
            }}
          />
          {uploading != null && <ProgressBar value={uploading} label="uploading" />}
        </div>
        <textarea
          className="align-transcript"
          placeholder="Transcript: drop a .txt file or paste the text that is read in the recording"
          value={st.transcript}
          onChange={(e) => st.setTranscript(e.target.value)}
          rows={5}
          aria-label="transcript"
        />
        <div className="align-actions">
          <button className="button button-primary" disabled={running || uploading != null} onClick={() => void st.start(dir)}>
            {running ? 'Aligning…' : 'Align'}
          </button>
          {running && (
            <>
              <ProgressBar value={job?.progress ?? null} label="alignment" />
              <span className="muted">{job?.message}</span>
              <button className="button button-ghost" onClick={() => st.jobId && void useJobsStore.getState().cancel(st.jobId)}>
                Cancel
              </button>
            </>
          )}
        </div>
        {st.error && (
          <div className="banner banner-error" role="alert">
            {st.error}
          </div>
        )}
      </section>

      {run && segments && peaks && (
        <>
          <AlignWaveform
            url={mediaUrl(dir, run.sourcePath)}
            duration={run.durationSeconds}
            peaks={peaks.peaks}
            segments={segments}
            unmatched={unmatched}
            selected={st.selected}
            play={play}
            onEdges={(k, a, b) => st.edit('edges', k, a, b)}
            onSelect={(k) => st.select(k)}
            onTime={setNow}
          />
          <div className="align-summary">
            {segments.length} segments · <span className={low ? 'stat-warn' : ''}>{low} to review</span>
            <span className="muted align-meaning" data-testid="align-meaning">
              {CONFIDENCE_MEANING}
            </span>
            <button
              className="button button-primary"
              onClick={async () => {
                await st.accept(dir);
                await refresh();
              }}
            >
              {run.acceptedClips.length || st.accepted ? 'Accept again (replaces)' : 'Accept into dataset'}
            </button>
            {!st.accepted && run.acceptedClips.length === 0 && (
              <button className="button button-ghost" onClick={() => void st.discard(dir)} title="forget these results; nothing is added to the project">
                Discard
              </button>
            )}
            {st.accepted && (
              <span className="muted">
                {st.accepted.clips.length} clips added{st.accepted.skipped.length ? `, ${st.accepted.skipped.length} skipped` : ''}
              </span>
            )}
          </div>
          {unmatched.length > 0 && (
            <ul className="align-unmatched" data-testid="align-unmatched">
              {unmatched.map((u, i) => (
                <li key={`${u.reason}-${u.start}`} className="align-unmatched-item">
                  <span className="align-conf" title="speech the transcript does not cover">
                    ?
                  </span>
                  <span className="align-time">
                    {u.start.toFixed(2)}–{u.end.toFixed(2)} s
                  </span>
                  <span>
                    <strong>Unmatched speech</strong> {UNMATCHED_LABELS[u.reason] ?? u.reason} ({u.speechSeconds.toFixed(1)} s of speech): in no clip. A sentence missing from the
                    transcript?
                  </span>
                  <button className="button button-ghost" onClick={() => setPlay({ start: u.start, end: u.end, n: Date.now() })} aria-label={`play unmatched speech ${i + 1}`}>
                    ▶
                  </button>
                </li>
              ))}
            </ul>
          )}
          <ol className="align-segments" data-testid="align-segments">
            {order.map((k) => {
              const s = segments[k]!;
              return (
                <li key={`${k}-${s.start}`} className={`align-segment${s.confidence < LOW_CONFIDENCE ? ' low' : ''}${k === st.selected ? ' selected' : ''}`} onClick={() => st.select(k)}>
                  <span className="align-conf" title={`${Math.round(s.confidence * 100)} %: ${s.confidence < LOW_CONFIDENCE ? 'listen before accepting' : 'no sign of trouble'}. ${segmentExplanation(s)}`}>
                    {Math.round(s.confidence * 100)}%
                  </span>
                  <span className="align-time">
                    #{k + 1} {s.start.toFixed(2)}–{s.end.toFixed(2)} s
                  </span>
                  <textarea
                    className="align-text"
                    rows={1}
                    defaultValue={s.text}
                    aria-label={`text of segment ${k + 1}`}
                    onFocus={() => st.selected !== k && st.select(k)}
                    onBlur={(e) => e.target.value !== s.text && st.edit('text', k, e.target.value)}
                    onKeyDown={(e) => {
                      // Enter at the caret: split the text there and the audio at the play head.
                      if (e.key !== 'Enter') return;
                      e.preventDefault(); // one line of text per segment: Enter splits, it adds no line break
                      const caret = e.currentTarget.selectionStart ?? 0;
                      const words = e.currentTarget.value.slice(0, caret).split(/\s+/).filter(Boolean).length;
                      st.edit('split', k, now > s.start && now < s.end ? now : (s.start + s.end) / 2, words);
                    }}
                  />
                  <button className="button button-ghost" onClick={() => setPlay({ start: s.start, end: s.end, n: Date.now() })} aria-label={`play segment ${k + 1}`}>
                    ▶
                  </button>
                  <button className="button button-ghost" disabled={k === segments.length - 1} onClick={() => st.edit('merge', k)} title="merge with the next segment">
                    ⤓ merge
                  </button>
                  <button className="button button-ghost" onClick={() => st.edit('remove', k)} title="leave out of the dataset">
                    ✕
                  </button>
                  {k === st.selected && <BoundaryFields k={k} start={s.start} end={s.end} onEdges={(a, b) => st.edit('edges', k, a, b)} />}
                  {s.flags.length > 0 && (
                    <span className="align-flags" data-testid={`align-reason-${k + 1}`}>
                      {segmentExplanation(s)}
                    </span>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}

/**
 * The selected segment's speech edges as numbers: the keyboard's way to move a boundary (the
 * waveform's region handles need a mouse). Applied on Enter or when the field is left.
 */
function BoundaryFields(p: { k: number; start: number; end: number; onEdges(start: number, end: number): void }) {
  const commit = (which: 'start' | 'end', value: string) => {
    const x = Number(value);
    if (!Number.isFinite(x) || x === (which === 'start' ? p.start : p.end)) return;
    if (which === 'start') p.onEdges(x, p.end);
    else p.onEdges(p.start, x);
  };
  const field = (which: 'start' | 'end', value: number) => (
    <label className="align-edge">
      {which}
      <input
        key={`${which}-${value}`}
        type="number"
        step={0.01}
        min={0}
        defaultValue={value.toFixed(2)}
        aria-label={`${which} of segment ${p.k + 1} (s)`}
        onClick={(e) => e.stopPropagation()}
        onBlur={(e) => commit(which, e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && commit(which, e.currentTarget.value)}
      />
      s
    </label>
  );
  return (
    <span className="align-edges" data-testid={`align-edges-${p.k + 1}`}>
      {field('start', p.start)} {field('end', p.end)}
    </span>
  );
}

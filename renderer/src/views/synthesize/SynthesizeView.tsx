import { useEffect, useMemo, useRef, useState } from 'react';
import { mediaUrl } from '../../api/client';
import { ProgressBar } from '../../components/ProgressBar';
import { useJobsStore } from '../../stores/jobsStore';
import { useProjectStore } from '../../stores/projectStore';
import { exportFileName, wavBlob } from './audio';
import { PlotCanvas } from './PlotCanvas';
import { modelInputLine } from './modelInput';
import { clampPace, clampPitch, durationControlRange } from './durationControls';
import { alignmentPixels, melMatrixPixels } from './plots';
import { useSynthesisStore } from './synthesisStore';
import { controlsLabel } from './history';
import { splitNotes } from './deviceNote';
import { DRAFT_ITERATIONS, FULL_ITERATIONS, waveglowUserNote } from './auditionCheck';
import { AddVoiceDialog, AddWaveGlowDialog } from './AddVoiceDialog';
import { canAddWaveGlow } from './addVoice';
import './synthesize.css';

/**
 * Text → speech with a trained voice: type, pick a voice and a vocoder, synthesize (sentences
 * stream in and play as they are ready), audition one sentence through Griffin-Lim and WaveGlow
 * from the same mel (and the dataset's own recording when a clip says the same), look at the mel
 * and the attention alignment, export WAVs, and keep a history. Logic: synthesisStore.ts & co.
 */
export function SynthesizeView() {
  const s = useSynthesisStore();
  const projectDir = useProjectStore((p) => p.dir);
  useEffect(() => {
    void s.loadVoices(projectDir);
    void s.loadHistory(projectDir);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load once per project; the store's actions are stable
  }, [projectDir]);
  const validVoices = s.voices.filter((v) => !v.error);
  const voice = validVoices.find((v) => v.dir === s.voiceDir) ?? null;
  const running = s.running;
  const done = running?.items.length ?? 0;
  // The job's own progress moves within a sentence too (WaveGlow reports each window it renders).
  const job = useJobsStore((j) => (running?.jobId ? j.jobs[running.jobId] : undefined));
  const progress = job?.state === 'running' && job.progress != null ? job.progress : running?.count ? done / running.count : null;
  const duration = durationControlRange(voice);
  const [adding, setAdding] = useState<'voice' | 'waveglow' | null>(null);
  // A voice made or changed by the dialogs: list the voices again, select it, then close the dialog.
  const added = async (voiceDir: string) => {
    await s.loadVoices(projectDir);
    s.set({ voiceDir });
    setAdding(null);
  };

  return (
    <div className="synth-view">
      <section className="synth-input">
        <textarea
          className="synth-text"
          value={s.text}
          onChange={(e) => s.set({ text: e.target.value })}
          placeholder="Type or paste text — any length; it is split into sentences."
          aria-label="Text to synthesize"
          rows={6}
        />
        <div className="synth-controls">
          <label className="field-inline">
            <span>Voice</span>
            <select value={s.voiceDir ?? ''} onChange={(e) => s.set({ voiceDir: e.target.value || null })} aria-label="Voice" disabled={!validVoices.length}>
              {validVoices.map((v) => (
                <option key={v.dir} value={v.dir}>
                  {v.name} ({v.source}
                  {v.isDefault ? ', default' : ''})
                </option>
              ))}
            </select>
          </label>
          <button className="button button-ghost" onClick={() => setAdding('voice')} disabled={!s.userVoicesDir} title="A voice from NVIDIA's published Tacotron-2 (and WaveGlow) checkpoints, no training">
            Add a voice…
          </button>
          <button className="button button-ghost" onClick={() => setAdding('waveglow')} disabled={!canAddWaveGlow(voice)} title={voice && !canAddWaveGlow(voice) ? 'The voices that come with the app are not changed' : 'Add (or replace) the WaveGlow vocoder of this voice'}>
            Add a WaveGlow to this voice…
          </button>
          <label className="field-inline">
            <span>Vocoder</span>
            <select value={s.vocoder} onChange={(e) => s.set({ vocoder: e.target.value as 'griffin-lim' | 'waveglow' })} aria-label="Vocoder">
              <option value="griffin-lim">Griffin-Lim</option>
              <option value="waveglow" disabled={voice !== null && !voice.hasWaveglow}>
                WaveGlow{voice && !voice.hasWaveglow ? ' (not in this voice)' : ''}
              </option>
            </select>
          </label>
          <label className="field-inline">
            <span>Seed</span>
            <input type="number" min={0} value={s.seed} onChange={(e) => s.set({ seed: Math.max(0, Math.trunc(Number(e.target.value) || 0)) })} aria-label="Seed" style={{ width: 80 }} />
          </label>
          {duration && (
            <>
              <label className="field-inline" title={`Speaking rate: 1 = as trained, above 1 faster (${duration.minPace.toFixed(2)}–${duration.maxPace})`}>
                <span>Pace</span>
                <BoundedNumber label="Pace" step={0.05} min={+duration.minPace.toFixed(3)} max={duration.maxPace} value={s.pace} clamp={(v) => clampPace(v, duration, s.pace)} onCommit={(pace) => s.set({ pace })} />
                <span className="synth-dim">×</span>
              </label>
              <label className="field-inline" title={`Pitch shift in semitones (±${duration.maxPitchShift})`}>
                <span>Pitch</span>
                <BoundedNumber
                  label="Pitch (semitones)"
                  step={0.5}
                  min={-duration.maxPitchShift}
                  max={duration.maxPitchShift}
                  value={s.pitch}
                  clamp={(v) => clampPitch(v, duration, s.pitch)}
                  onCommit={(pitch) => s.set({ pitch })}
                />
                <span className="synth-dim">st</span>
              </label>
            </>
          )}
          <div className="synth-actions">
            {running ? (
              <button className="button button-danger" onClick={() => void s.cancel()}>
                Cancel
              </button>
            ) : (
              <button className="button button-primary" disabled={!voice || !s.text.trim()} onClick={() => void s.synthesize()}>
                Synthesize
              </button>
            )}
            <button className="button" disabled={!voice || !s.text.trim() || s.auditioning} onClick={() => void s.runAudition(projectDir)} title="One sentence: compare vocoders on the same mel, see the alignment">
              {s.auditioning ? 'Auditioning…' : 'Audition A/B'}
            </button>
          </div>
        </div>
        {s.voicesError && <p className="synth-message synth-warn">{s.voicesError}</p>}
        {s.error && <p className="synth-message synth-error">{s.error}</p>}
        {running && (
          <div className="synth-progress">
            <ProgressBar value={progress} label="Synthesis progress" />
            {job?.state === 'running' && /vocoding/.test(job.message) && <div className="synth-dim">{job.message}</div>}
            <ol className="synth-sentences">
              {running.items.map((it) => {
                const input = modelInputLine(it, running.phonemizer);
                return (
                  <li key={it.index} className={it.ok ? '' : 'synth-issue'} title={it.notes.join('\n')}>
                    {it.text} <span className="synth-dim">{it.seconds.toFixed(1)} s{it.ok ? '' : ` · ${it.issues.join(', ')}`}</span>
                    {input && (
                      <div className="synth-model-input" title={`What the model read: espeak-ng ${running.phonemizer} IPA`}>
                        {input}
                      </div>
                    )}
                  </li>
                );
              })}
            </ol>
          </div>
        )}
        <SynthesisNotes notes={s.notes} />
      </section>
      {adding === 'voice' && s.userVoicesDir && <AddVoiceDialog userVoicesDir={s.userVoicesDir} voices={s.voices} onClose={() => setAdding(null)} onDone={(dir) => void added(dir)} />}
      {adding === 'waveglow' && voice && <AddWaveGlowDialog voice={voice} onClose={() => setAdding(null)} onDone={(dir) => void added(dir)} />}

      {s.audition && <Audition projectDir={projectDir} />}

      <section className="synth-history">
        <h3>History</h3>
        {s.history.length === 0 && <p className="synth-dim">Syntheses appear here, newest first.</p>}
        <ul>
          {s.history.map((h) => (
            <HistoryRow key={h.id} entry={h} projectDir={projectDir} onReuse={() => s.set({ text: h.text, seed: h.seed, vocoder: h.vocoder, ...(h.pace != null ? { pace: h.pace } : {}), ...(h.pitch != null ? { pitch: h.pitch } : {}) })} />
          ))}
        </ul>
      </section>
    </div>
  );
}

/**
 * A number input held within [min, max]: what is typed stays as typed (so "0.5" can be typed through
 * "0" and "0."), a value within range is committed at once, and leaving the field commits the clamped value.
 */
function BoundedNumber(props: { label: string; step: number; min: number; max: number; value: number; clamp(v: number): number; onCommit(v: number): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input
      type="number"
      step={props.step}
      min={props.min}
      max={props.max}
      value={draft ?? String(props.value)}
      onChange={(e) => {
        setDraft(e.target.value);
        const v = Number(e.target.value);
        if (e.target.value.trim() && Number.isFinite(v) && props.clamp(v) === v) props.onCommit(v);
      }}
      onBlur={() => {
        if (draft != null) props.onCommit(props.clamp(Number(draft)));
        setDraft(null);
      }}
      aria-label={props.label}
      style={{ width: 70 }}
    />
  );
}

/** A blob URL for a WAV, created and revoked by the same effect: a URL made in useMemo and revoked in an
 *  effect's cleanup dies when React re-runs effects (StrictMode, remounts) and the <audio> is left with a
 *  revoked URL ("Failed to fetch" / media "Format error"). */
function useBlobUrl(b64: string | null | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!b64) {
      setUrl(null);
      return;
    }
    const u = URL.createObjectURL(wavBlob(b64));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [b64]);
  return url;
}

function Audition({ projectDir }: { projectDir: string | null }) {
  const a = useSynthesisStore((s) => s.audition)!;
  const b = useSynthesisStore((s) => s.auditionB);
  const text = useSynthesisStore((s) => s.auditionText) ?? '';
  const glUrl = useBlobUrl(a.griffinLim.wavBase64);
  const wgUrl = useBlobUrl(a.waveglow?.wavBase64);
  const draftUrl = useBlobUrl(b?.wavBase64);
  const recUrl = a.recording && projectDir ? mediaUrl(a.recording.projectDir, a.recording.path) : null;
  const melPx = useMemo(() => melMatrixPixels(a.mel), [a]);
  const alignPx = useMemo(() => alignmentPixels(a.alignment), [a]);
  const audioRef = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState<string | null>(null);
  const [current, setCurrent] = useState<{ label: string; url: string } | null>(null);
  const play = (label: string, url: string | null) => {
    const el = audioRef.current;
    if (!el || !url) return;
    el.src = url;
    setCurrent({ label, url });
    setPlaying(label);
    void el.play();
  };
  const stop = () => {
    const el = audioRef.current;
    if (el) {
      el.pause();
      el.currentTime = 0;
    }
    setPlaying(null);
  };
  // B: WaveGlow when the voice has one, else the same mel through a few Griffin-Lim iterations.
  const bUrl = wgUrl ?? draftUrl;
  const bLabel = a.waveglow ? 'B · WaveGlow' : `B · Griffin-Lim, ${b?.iterations ?? DRAFT_ITERATIONS} iterations`;
  const bMs = a.waveglow?.ms ?? b?.ms;
  const note = waveglowUserNote(a.waveglowNote);
  return (
    <section className="synth-audition" aria-label="Audition">
      <h3>
        Audition <span className="synth-dim">“{text.slice(0, 80)}”</span>
      </h3>
      <div className="synth-ab">
        <button className={`button${playing === 'A' ? ' button-primary' : ''}`} onClick={() => play('A', glUrl)} title={`The mel through Griffin-Lim, ${FULL_ITERATIONS} iterations (what Synthesize uses)`}>
          A · Griffin-Lim, {FULL_ITERATIONS} iterations <span className="synth-dim">computed in {Math.round(a.griffinLim.ms)} ms</span>
        </button>
        <button className={`button${playing === 'B' ? ' button-primary' : ''}`} disabled={!bUrl} title={note ?? ''} onClick={() => play('B', bUrl)}>
          {bLabel} <span className="synth-dim">{bMs != null ? `computed in ${Math.round(bMs)} ms` : 'computing…'}</span>
        </button>
        {recUrl && (
          <button className={`button${playing === 'R' ? ' button-primary' : ''}`} onClick={() => play('R', recUrl)} title={`clip ${a.recording!.clipId}: ${a.recording!.transcript}`}>
            Recording ({a.recording!.clipId})
          </button>
        )}
        <button className="button button-ghost" onClick={stop} disabled={!playing}>
          Stop
        </button>
      </div>
      <div className="synth-ab-player">
        <audio ref={audioRef} controls onEnded={() => setPlaying(null)} onPause={() => setPlaying(null)} aria-label="Audition player" />
        {current && current.label !== 'R' && (
          <a className="button" href={current.url} download={exportFileName(`${text} ${current.label === 'A' ? 'griffin-lim' : bLabel.slice(4)}`)}>
            Export {current.label} as WAV
          </a>
        )}
      </div>
      {note && <p className="synth-message synth-dim">{note}</p>}
      {!a.ok && <p className="synth-message synth-warn">Attention: {a.issues.join(', ')} (after {a.attempts} attempt{a.attempts > 1 ? 's' : ''}).</p>}
      <PlotCanvas pixels={melPx} label={`Predicted mel${a.metrics ? ' (post-net)' : ''}: ${a.mel.rows} bands × ${a.mel.cols} frames`} />
      <PlotCanvas
        pixels={alignPx}
        label={
          a.metrics
            ? `Attention alignment: decoder step → input symbol (${a.alignment.rows} steps × ${a.alignment.cols} symbols), monotonicity ${(a.metrics.monotonicity * 100).toFixed(0)}%, coverage ${(a.metrics.coverage * 100).toFixed(0)}%`
            : `Durations: frame → input symbol (${a.alignment.rows} frames × ${a.alignment.cols} symbols; a duration voice has no attention to check)`
        }
        height={140}
      />
    </section>
  );
}

function HistoryRow({ entry, projectDir, onReuse }: { entry: import('./history').HistoryEntry; projectDir: string | null; onReuse(): void }) {
  const blobUrl = useBlobUrl(entry.wav ? null : entry.wavBase64);
  const url = entry.wav && projectDir ? mediaUrl(projectDir, entry.wav) : blobUrl;
  return (
    <li className="synth-history-row">
      <audio controls src={url ?? undefined} preload="none" />
      <div className="synth-history-text">
        <div>{entry.text.length > 140 ? `${entry.text.slice(0, 140)}…` : entry.text}</div>
        <div className="synth-dim">
          {entry.voice} · {entry.vocoder} · seed {entry.seed} · {entry.durationSeconds.toFixed(1)} s · {entry.sentences} chunk(s) · RTF {entry.rtf.toFixed(2)}
          {controlsLabel(entry)}
          {entry.unfixed ? ` · ${entry.unfixed} with attention problems` : ''}
        </div>
        {entry.modelInput && (
          <ol className="synth-model-inputs" aria-label="What the model read (IPA)">
            {entry.modelInput.map((line, i) => (
              <li key={i} className="synth-model-input">
                {line}
              </li>
            ))}
          </ol>
        )}
      </div>
      <button className="button button-ghost" onClick={onReuse}>
        Reuse
      </button>
      {url && (
        <a className="button" href={url} download={exportFileName(entry.text, new Date(entry.createdAt))}>
          Export WAV
        </a>
      )}
    </li>
  );
}

/** Where it ran in one line (the engine's words behind a disclosure), then any other notes. */
function SynthesisNotes({ notes }: { notes: string[] }) {
  const n = splitNotes(notes);
  if (!n.device && !n.other.length) return null;
  return (
    <div className="synth-notes">
      {n.device && (
        <details className="synth-device" data-testid="synth-device">
          <summary>{n.device}</summary>
          {n.deviceDetails.map((d) => (
            <p key={d}>{d}</p>
          ))}
        </details>
      )}
      {n.other.length > 0 && (
        <ul>
          {n.other.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

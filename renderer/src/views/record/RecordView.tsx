import { useEffect, useRef, useState } from 'react';
import { mediaUrl } from '../../api/client';
import { formatLength } from '../../components/format';
import { useProjectStore } from '../../stores/projectStore';
import { LevelMeter } from './LevelMeter';
import { type InputDevice, listInputs } from './microphone';
import { type TakeView, useRecordStore } from './recordStore';
import { sessionsLeft } from './takeAudio';
import './record.css';

/**
 * Record: one prompt at a time, read into the microphone, saved as a clip and checked at once.
 * Keys: Space start/stop · ← → previous/next prompt · R retake. The prompts come from the coverage
 * picker (the services' record.prompts); the meter and capture from microphone.ts.
 */
export function RecordView() {
  const dir = useProjectStore((s) => s.dir);
  const st = useRecordStore();
  const [inputs, setInputs] = useState<InputDevice[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (dir) void useRecordStore.getState().load(dir);
  }, [dir]);
  // The microphone is released when the view is left (the browser's recording indicator goes off).
  useEffect(() => () => useRecordStore.getState().closeMic(), []);
  useEffect(() => {
    if (st.mic) void listInputs().then(setInputs, () => undefined);
  }, [st.mic]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      // A focused button would also click on Space's keyup: the key belongs to the recorder here.
      if (t && (t.tagName === 'BUTTON' || t.tagName === 'A') && (e.code === 'Space' || e.key === 'r' || e.key === 'R')) t.blur();
      const s = useRecordStore.getState();
      if (e.code === 'Space') {
        e.preventDefault();
        void s.toggle();
      } else if (e.key === 'ArrowLeft') {
        e.preventDefault();
        s.go(-1);
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        s.go(1);
      } else if (e.key === 'r' || e.key === 'R') {
        e.preventDefault();
        void s.retake();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!dir) return null;
  const prompt = st.prompts[st.index];
  const take = prompt ? st.takes[prompt.text.trim()] : undefined;
  // The newest take stays in view after a clean take moved on to the next prompt (which may have a take of its own).
  const last = st.lastTake && st.lastTake !== prompt?.text.trim() ? st.takes[st.lastTake] : undefined;
  const newest = st.lastTake ? st.takes[st.lastTake] : undefined;
  const b = st.batch;
  const minutes = (Date.now() - st.session.startedAt) / 60000;
  const left = b ? sessionsLeft(b.usableSeconds, b.goalSeconds, { addedSeconds: st.session.addedSeconds, minutes, takes: st.session.takes }) : null;
  const recording = st.phase === 'recording';

  return (
    <div className="record-view" data-phase={st.phase} data-last-clip={newest?.clip.id}>
      <section className="record-setup">
        {!st.mic ? (
          <button className="button button-primary" onClick={() => void st.openMic(st.deviceId)} disabled={st.phase === 'opening'}>
            {st.phase === 'opening' ? 'Opening the microphone…' : 'Use the microphone'}
          </button>
        ) : (
          <>
            <label className="record-device">
              Input{' '}
              <select value={st.deviceId ?? ''} onChange={(e) => void st.openMic(e.target.value || null)} disabled={recording || st.phase === 'saving'}>
                {!st.deviceId && <option value="">{st.mic.label}</option>}
                {inputs.map((d) => (
                  <option key={d.deviceId} value={d.deviceId}>
                    {d.label}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted small" data-testid="sample-rate">
              {st.mic.deviceRate ? `device ${st.mic.deviceRate} Hz · ` : 'device rate not reported · '}recording at {st.mic.captureRate} Hz
            </span>
            <LevelMeter active={Boolean(st.mic)} />
          </>
        )}
        <span className="record-spacer" />
        <button className="button" onClick={() => fileInput.current?.click()} title="A UTF-8 text file, one prompt per line">
          Load prompt file…
        </button>
        {st.set === 'project' && (
          <button className="button button-ghost" onClick={() => void st.load(dir, 'builtin')}>
            Built-in prompts
          </button>
        )}
        <input
          ref={fileInput}
          type="file"
          accept=".txt,text/plain"
          hidden
          aria-label="Prompt file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void st.loadPromptFile(f);
          }}
        />
      </section>

      {st.mic && (
        <section className="record-roomtone" data-testid="room-tone">
          {st.phase === 'roomtone' ? (
            <span>Measuring the room: stay silent for 3 seconds…</span>
          ) : st.roomTone ? (
            <span className={`roomtone-${st.roomTone.verdict}`}>
              Noise floor <strong data-testid="noise-floor">{st.roomTone.floorDbfs} dBFS</strong>. {st.roomTone.advice}{' '}
              <button className="button button-ghost" onClick={() => void st.checkRoomTone()} disabled={st.phase !== 'ready'}>
                Check again
              </button>
            </span>
          ) : (
            <span>
              Before the first take, measure the room’s noise: stay silent and{' '}
              <button className="button button-primary" onClick={() => void st.checkRoomTone()} disabled={st.phase !== 'ready'}>
                Check room tone
              </button>
            </span>
          )}
        </section>
      )}

      {st.error && (
        <div className="banner banner-error" role="alert">
          {st.error}
        </div>
      )}
      {st.notice && <div className="banner">{st.notice}</div>}

      <section className={`record-prompt${recording ? ' recording' : ''}`}>
        <div className="muted small">
          {b ? `${b.source} · prompt ${st.index + 1} (${st.prompts.length} chosen so far) · ${b.recorded} of ${b.total} in the set recorded` : 'Choosing prompts…'}
          {prompt && prompt.newDiphones + prompt.newPhonemes > 0 && ` · adds ${prompt.newPhonemes ? `${prompt.newPhonemes} new sound${prompt.newPhonemes === 1 ? '' : 's'} and ` : ''}${prompt.newDiphones} new sound pairs`}
        </div>
        <p className="record-text" data-testid="prompt-text">
          {prompt?.text ?? ''}
        </p>
        <div className="record-actions">
          <button className="button" onClick={() => st.go(-1)} disabled={st.index === 0 || recording || st.phase === 'saving'} title="Previous prompt (←)">
            ← Previous
          </button>
          <button
            className={`button ${recording ? 'button-danger' : 'button-primary'}`}
            onClick={() => void st.toggle()}
            disabled={!st.mic || !st.roomTone || !prompt || (st.phase !== 'ready' && st.phase !== 'recording')}
            title={!st.roomTone ? 'Check the room tone first' : 'Space'}
            data-testid="record-button"
          >
            {recording ? '■ Stop (Space)' : st.phase === 'saving' ? 'Saving…' : take ? '● Retake (R)' : '● Record (Space)'}
          </button>
          <button className="button" onClick={() => st.go(1)} disabled={st.index >= st.prompts.length - 1 || recording || st.phase === 'saving'} title="Next prompt (→)">
            Next →
          </button>
        </div>
      </section>

      {last && <TakePanel dir={dir} take={last} label={`Last take (“${st.lastTake}”): `} saveMs={st.lastSaveMs} testId="last-take" />}
      {take && <TakePanel dir={dir} take={take} label="" saveMs={st.lastTake === prompt!.text.trim() ? st.lastSaveMs : null} testId="take-result" />}

      {b && (
        <section className="record-progress" data-testid="record-progress">
          <progress max={b.goalSeconds} value={Math.min(b.goalSeconds, b.usableSeconds)} />
          <span data-testid="record-goal">
            {formatLength(b.usableSeconds)} of {Math.round(b.goalSeconds / 60)} min recorded
            {left != null && (left === 0 ? ' — the seed’s goal is reached' : ` — about ${left} more session${left === 1 ? '' : 's'} of 30 minutes`)}
          </span>
          <span className="muted small" data-testid="coverage" title="Distinct phonemes and phoneme pairs in the project's transcripts, of those the project and this prompt set contain">
            Coverage: {b.coverage.phonemes} of {b.coverage.phonemesPossible} sounds, {b.coverage.diphones} of {b.coverage.diphonesPossible} sound pairs (
            {b.coverage.diphonesPossible ? Math.round((100 * b.coverage.diphones) / b.coverage.diphonesPossible) : 0} %)
          </span>
        </section>
      )}
      <p className="muted small">Space start/stop · ← → previous/next prompt · R retake. A take is trimmed, normalized and padded like an import; the recording itself is kept in the project’s sources/.</p>
    </div>
  );
}

/** One take: good or what to fix, its measures, and playback of the clip as it went into the dataset. */
function TakePanel({ dir, take, label, saveMs, testId }: { dir: string; take: TakeView; label: string; saveMs: number | null; testId: string }) {
  // The prompt check is rough (record/promptMatch.ts): shown, but it does not hold the view on the prompt.
  const promptProblem = take.result?.promptMatch?.problem ?? null;
  return (
    <section className={`record-take ${take.problems.length ? 'flagged' : promptProblem ? 'doubtful' : 'clean'}`} data-testid={testId} data-clip={take.clip.id}>
      <div className="record-take-head">
        <strong>
          {label}
          {take.problems.length ? 'Listen and record it again:' : promptProblem ? 'Listen to it:' : 'Good take.'}
        </strong>
        <span className="muted small">
          {formatLength(take.clip.durationSeconds)} clip
          {take.result ? ` · recorded ${take.result.recordedSeconds.toFixed(1)} s at ${take.result.recordedSampleRate} Hz` : ' · from an earlier session'}
          {take.clip.qa && ` · peak ${take.clip.qa.peakDbfs} dBFS · SNR ${take.clip.qa.snrDb ?? '–'} dB`}
          {take.result && saveMs != null && <span data-testid="save-ms"> · saved and checked {saveMs} ms after Stop</span>}
        </span>
      </div>
      {take.problems.length > 0 && (
        <ul className="record-problems" data-testid="take-problems">
          {take.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {promptProblem && (
        <p className="record-problems" data-testid="take-prompt-match">
          {promptProblem} (← goes back to it; R reads it again.)
        </p>
      )}
      <audio controls src={mediaUrl(dir, take.clip.wav, take.clip.updatedAt)} data-testid="take-audio" />
    </section>
  );
}

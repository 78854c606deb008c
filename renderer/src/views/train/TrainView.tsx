import { useEffect, useMemo, useState } from 'react';
import type { AppInfo } from '../../../../shared/contract/app';
import type { RunSample } from '../../../../shared/contract/training';
import { api, runMediaUrl } from '../../api/client';
import { useProjectStore } from '../../stores/projectStore';
import { ExportDialog } from '../importExport/ExportDialog';
import { datasetFitLine } from './datasetFit';
import { downsample, lossParts, lossTicks, scaleOf, stepTicks, svgPath } from './lossSeries';
import { ALIGNMENT_NAME, MODEL_OPTIONS, modelChoiceOf } from './modelChoice';
import { PathInput } from './PathInput';
import { TEXT_INPUT_OPTIONS, textInputOf } from './textInput';
import { useTrainStore } from './trainStore';
import { runRelative } from './validationSamples';
import './train.css';

// the loss plot's drawing area and the room its axis labels take (SVG units)
const PLOT_W = 600;
const PLOT_H = 200;
const AXIS_LEFT = 40;
const AXIS_BOTTOM = 18;

/**
 * Train a voice with the Python trainer: check the environment (and say what is missing), start / stop /
 * resume a run, watch the loss fall live, look at the newest attention alignment and mel, see which
 * validation clips align, listen to each validation's free-running sample (Griffin-Lim) beside its
 * alignment, list checkpoints and export a voice bundle. Plots and samples come through the run media
 * route, so a run outside the project shows too. Logic: trainStore.ts, lossSeries.ts, validationSamples.ts.
 */
/** Time left, rounded as a person reads it ("under a minute", "6 min", "1 h 20 min"). */
function formatEta(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  const min = Math.round(seconds / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

export function TrainView() {
  const s = useTrainStore();
  const projectDir = useProjectStore((p) => p.dir);
  const hasClips = useProjectStore((p) => (p.manifest?.clips.length ?? 0) > 0);
  // "Export now": the project's Export dialog, aimed at this view's dataset folder
  const [exporting, setExporting] = useState<{ info: AppInfo | null } | null>(null);
  // the desktop app offers "Choose…" beside each path; the browser says where the server may read
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    api['app.info']({}).then(setInfo, () => undefined);
  }, []);
  const native = Boolean(info?.nativeDialogs);
  const pickError = (m: string) => s.set({ error: m });
  const openExport = () => {
    setExporting({ info: null });
    api['app.info']({}).then((info) => setExporting((e) => (e ? { info } : e)), () => undefined);
  };
  useEffect(() => {
    if (projectDir) s.defaultsFor(projectDir);
    if (!s.env) void s.checkEnv();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- defaults once per project, not on each store change
  }, [projectDir]);
  useEffect(() => {
    void s.refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refresh when the run folder changes; the store's actions are stable
  }, [s.runDir]);

  useEffect(() => {
    const t = setTimeout(() => void s.checkFit(), 300); // typing a path: ask once it settles
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the fit check follows these fields only, debounced
  }, [s.datasetDir, s.config, s.model, s.textFrontend]);

  const running = s.jobId !== null;
  const version = s.last?.step ?? s.checkpoints.length;
  const image = (file: string | null) => {
    const rel = runRelative(file);
    return rel && s.runDir ? runMediaUrl(s.runDir, rel, version) : null;
  };
  const plot = useMemo(() => {
    const sc = scaleOf(s.series);
    if (!sc) return null;
    return {
      train: svgPath(downsample(s.series.train, 400), sc, PLOT_W, PLOT_H),
      val: svgPath(s.series.validation, sc, PLOT_W, PLOT_H),
      x: stepTicks(sc),
      y: lossTicks(sc),
      lastTrain: s.series.train.at(-1),
      lastVal: s.series.validation.at(-1),
    };
  }, [s.series]);
  const alignmentUrl = image(s.plots.alignment);
  const melUrl = image(s.plots.mel);
  const modelChoice = modelChoiceOf(s);
  // the run's own model: its newest checkpoint resumes; an acoustic model's exports as a voice
  const latest = s.checkpoints.filter((c) => c.model === s.runModel).at(-1);
  const exportable = latest && latest.model !== 'waveglow' ? latest : undefined;
  const textInput = textInputOf(s);
  const alignmentName = ALIGNMENT_NAME[modelChoice.value];
  const parts = lossParts(s.last?.losses);
  // what a new run will train on; a run with checkpoints keeps its own configuration
  const fitLine = s.fit && !modelChoice.locked ? datasetFitLine(s.fit, s.config) : null;

  return (
    <div className="train-view">
      <section className="train-env" aria-label="Python environment">
        <h3>Trainer environment</h3>
        {s.envChecking && <p>checking Python and PyTorch…</p>}
        {s.env?.ok && (
          <p className="train-ok">
            Python {s.env.pythonVersion} ({s.env.pythonSource}), PyTorch {s.env.torch}, {s.env.cuda ? `CUDA: ${s.env.cudaDevices.join(', ')}` : 'CPU only'}
          </p>
        )}
        {s.env && !s.env.ok && (
          <ul className="train-problems">
            {s.env.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <button onClick={() => void s.checkEnv()} disabled={s.envChecking}>
          Check again
        </button>
      </section>

      <section className="train-form" aria-label="Run">
        <p className="train-needs" id="train-needs">
          Training reads an LJSpeech export of this project (its transcribed clips as <code>wavs/</code> and <code>metadata.csv</code>). The folder below is the project&rsquo;s last export.
        </p>
        {info && !info.nativeDialogs && (
          <p className="train-where">
            In the browser, the server reads and writes training folders only inside open projects (and their export beside them) and its data folder <code>{info.dataDir}</code>: put a dataset or checkpoint from elsewhere there and type its full path.
          </p>
        )}
        <PathInput
          field="datasetDir"
          label="Dataset (LJSpeech export)"
          ariaLabel="Dataset folder"
          describedBy="train-needs"
          value={s.datasetDir}
          onChange={(v) => s.set({ datasetDir: v, datasetTyped: true })}
          native={native}
          error={s.fieldErrors.datasetDir}
          onPickError={pickError}
        />
        {s.datasetMissing && (
          <div className="train-missing" role="status" aria-label="Dataset missing">
            <span>No export in this folder yet.</span>
            <button className="button button-primary" onClick={openExport} disabled={!projectDir || !hasClips}>
              Export now
            </button>
          </div>
        )}
        <PathInput field="runDir" label="Run folder" ariaLabel="Run folder" value={s.runDir} onChange={(v) => s.set({ runDir: v })} native={native} error={s.fieldErrors.runDir} onPickError={pickError} />
        <label>
          <span>Model</span>
          <select
            value={modelChoice.value}
            onChange={(e) => s.set({ model: e.target.value as 'fastpitch' | 'tacotron2' })}
            disabled={modelChoice.locked || running}
            aria-label="Model"
            aria-describedby="train-model-hint"
          >
            {MODEL_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
            {modelChoice.value === 'waveglow' && <option value="waveglow">WaveGlow (vocoder)</option>}
          </select>
          <small id="train-model-hint" className="train-hint">
            {modelChoice.hint}
          </small>
        </label>
        <label>
          <span>Config</span>
          <select value={s.config} onChange={(e) => s.set({ config: e.target.value as 'tiny' | 'default' })} aria-label="Config">
            <option value="tiny">tiny (a quick check: small model, clips up to 6 s)</option>
            <option value="default">{s.model === 'fastpitch' ? 'default (full size, clips up to 12 s; fine-tunes the demo voice)' : 'default (full size, clips up to 12 s)'}</option>
          </select>
          {fitLine && (
            <small className={fitLine.warn ? 'train-hint train-fit-warn' : 'train-hint'} aria-label="Dataset use">
              {fitLine.text}
            </small>
          )}
        </label>
        <label>
          <span>Text input</span>
          <select
            value={textInput.value ?? ''}
            onChange={(e) => s.set({ textFrontend: e.target.value as 'phonemes' | 'characters' })}
            disabled={textInput.locked || running}
            aria-label="Text input"
            aria-describedby="train-text-input-hint"
          >
            {textInput.value === null && <option value="">unknown (the run's own)</option>}
            {TEXT_INPUT_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <small id="train-text-input-hint" className="train-hint">
            {textInput.hint}
          </small>
        </label>
        <label>
          <span>Train until step</span>
          <input type="number" min={1} value={s.steps} onChange={(e) => s.set({ steps: Math.max(1, Number(e.target.value) || 1) })} aria-label="Steps" />
        </label>
        <PathInput
          field="warmStart"
          label="Warm start (optional checkpoint)"
          ariaLabel="Warm start checkpoint"
          value={s.warmStart}
          onChange={(v) => s.set({ warmStart: v })}
          native={native}
          error={s.fieldErrors.warmStart}
          onPickError={pickError}
          placeholder={s.model === 'fastpitch' && s.config === 'default' ? 'empty: the demo voice (fine-tuning)' : 'empty: from scratch'}
        />
        <div className="train-buttons">
          <button className="button button-primary" onClick={() => void s.start(false)} disabled={running || !s.env?.ok || s.datasetMissing}>
            Start
          </button>
          <button className="button" onClick={() => void s.start(true)} disabled={running || !s.env?.ok || !latest}>
            Resume
          </button>
          <button className="button" onClick={() => void s.stop()} disabled={!running}>
            Stop
          </button>
        </div>
        {s.last && (
          <p className="train-status" aria-live="polite">
            step {s.last.step} · loss {s.last.loss?.toFixed(4)} · {s.last.steps_per_s?.toFixed(3)} steps/s{s.last.frames_per_s !== undefined && ` (${Math.round(s.last.frames_per_s)} frames/s)`}
            {running && s.last.eta_s !== undefined && ` · ETA ${formatEta(s.last.eta_s)}`}
          </p>
        )}
        {parts.length > 0 && (
          <dl className="train-parts" aria-label="Loss parts">
            {parts.map((p) => (
              <div key={p.name}>
                <dt>{p.name}</dt>
                <dd>{p.value}</dd>
              </div>
            ))}
          </dl>
        )}
        {s.message && <p className="train-message">{s.message}</p>}
        {s.notices.length > 0 && (
          <ul className="train-notices" aria-label="Training notices">
            {s.notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        {s.error && <p className="train-error">{s.error}</p>}
      </section>

      <section className="train-plots">
        <figure>
          <figcaption>
            {s.last?.losses && parts.length > 0 ? 'Total loss' : 'Loss'} (log scale) against step: <span className="train-key-line">training</span>, <span className="train-key-val">validation</span>
            {plot?.lastTrain && ` · step ${plot.lastTrain[0]}: ${plot.lastTrain[1].toFixed(3)}`}
            {plot?.lastVal && ` · validation at ${plot.lastVal[0]}: ${plot.lastVal[1].toFixed(3)}`}
          </figcaption>
          {plot ? (
            <svg viewBox={`0 0 ${PLOT_W + AXIS_LEFT + 16} ${PLOT_H + AXIS_BOTTOM + 10}`} className="train-loss" role="img" aria-label="Loss curve">
              <g transform={`translate(${AXIS_LEFT},8)`}>
                {plot.y.map((t) => (
                  <g key={`y${t.value}`} className="train-tick">
                    <line x1={0} x2={PLOT_W} y1={PLOT_H - t.at * PLOT_H} y2={PLOT_H - t.at * PLOT_H} />
                    <text x={-6} y={PLOT_H - t.at * PLOT_H} textAnchor="end" dominantBaseline="middle">
                      {t.label}
                    </text>
                  </g>
                ))}
                {plot.x.map((t) => (
                  <g key={`x${t.value}`} className="train-tick">
                    <line x1={t.at * PLOT_W} x2={t.at * PLOT_W} y1={0} y2={PLOT_H} />
                    <text x={t.at * PLOT_W} y={PLOT_H + 14} textAnchor="middle">
                      {t.label}
                    </text>
                  </g>
                ))}
                <path d={plot.train} className="train-line" />
                <path d={plot.val} className="train-val" />
              </g>
            </svg>
          ) : (
            <p className="train-empty">No losses yet.</p>
          )}
        </figure>
        <figure>
          <figcaption>{alignmentName[0].toUpperCase() + alignmentName.slice(1)} (newest validation)</figcaption>
          {alignmentUrl ? <img src={alignmentUrl} alt={alignmentName} /> : <p className="train-empty">{s.plots.alignment ?? 'No validation yet.'}</p>}
        </figure>
        <figure>
          <figcaption>Predicted vs target mel</figcaption>
          {melUrl ? <img src={melUrl} alt="predicted and target mel" /> : <p className="train-empty">{s.plots.mel ?? 'No validation yet.'}</p>}
        </figure>
      </section>

      <section className="train-health" aria-label="Alignment health">
        <h3>Validation clips</h3>
        {!s.alignment.length && <p className="train-empty">How well each validation clip aligns, from the first validation on.</p>}
        <table hidden={!s.alignment.length}>
          <thead>
            <tr>
              <th>clip</th>
              <th>focus</th>
              <th>diagonality</th>
              <th>aligned</th>
            </tr>
          </thead>
          <tbody>
            {s.alignment.map((a) => (
              <tr key={a.id} className={a.aligned ? '' : 'train-bad'}>
                <td>{a.id}</td>
                <td>{a.focus.toFixed(2)}</td>
                <td>{a.diagonality.toFixed(2)}</td>
                <td>{a.aligned ? 'yes' : 'not yet'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <ValidationSamples />
      {exporting && projectDir && (
        <ExportDialog
          projectDir={projectDir}
          info={exporting.info}
          initialOutDir={s.datasetDir}
          onExported={(outDir) => {
            s.set({ datasetDir: outDir, datasetTyped: false });
            void s.checkFit();
          }}
          onClose={() => setExporting(null)}
        />
      )}

      <section className="train-checkpoints" aria-label="Checkpoints">
        <h3>Checkpoints</h3>
        <ul>
          {s.checkpoints.map((c) => (
            <li key={c.path}>
              {c.model} step {c.step} · {(c.bytes / 1e6).toFixed(1)} MB · {new Date(c.mtime).toLocaleString()}
            </li>
          ))}
        </ul>
        <button onClick={() => projectDir && void s.exportVoice(`${projectDir}/voices/${s.runDir.split(/[\\/]/).pop() || 'voice'}`)} disabled={!exportable || s.exportJobId !== null}>
          Export voice
        </button>
      </section>
    </div>
  );
}

/** Each validation's free-running synthesis, newest first: listen to it beside the alignment it came from. */
function ValidationSamples() {
  const samples = useTrainStore((st) => st.samples);
  const runDir = useTrainStore((st) => st.runDir);
  const rendering = useTrainStore((st) => st.rendering);
  const renderSample = useTrainStore((st) => st.renderSample);
  const alignmentName = useTrainStore((st) => ALIGNMENT_NAME[modelChoiceOf(st).value]);
  const [autoplay, setAutoplay] = useState<number | null>(null);
  const url = (file: string | null, version: number) => {
    const rel = runRelative(file);
    return rel && runDir ? runMediaUrl(runDir, rel, version) : null;
  };
  return (
    <section className="train-samples" aria-label="Validation samples">
      <h3>Validation samples</h3>
      {!samples.length && <p className="train-empty">None yet: each validation synthesizes its first clip without teacher forcing.</p>}
      <ul>
        {samples.map((x: RunSample) => {
          const wavUrl = url(x.wav, x.step);
          const alignmentUrl = url(x.alignment, x.step);
          const busy = rendering.includes(x.step);
          return (
            <li key={x.step} className="train-sample" data-step={x.step}>
              <div className="train-sample-info">
                <div>
                  <strong>step {x.step}</strong>
                  {x.id && <span className="train-sample-id"> · {x.id}</span>}
                  {x.stopped === false && (
                    <span className="train-badge" title="The stop token never fired: the decoder ran to its step cap. Attention has not learned to align yet.">
                      no stop token (not aligned yet)
                    </span>
                  )}
                </div>
                <p className="train-sample-text">{x.text ?? '(text unknown)'}</p>
                {wavUrl ? (
                  <audio controls preload="none" src={wavUrl} autoPlay={autoplay === x.step} aria-label={`validation sample at step ${x.step}`} />
                ) : (
                  <button
                    disabled={busy}
                    onClick={() => void renderSample(x.step).then((ok) => ok && setAutoplay(x.step))}
                    aria-label={`play validation sample at step ${x.step}`}
                  >
                    {busy ? 'rendering (Griffin-Lim)…' : '▶ Play'}
                  </button>
                )}
              </div>
              {alignmentUrl && <img className="train-sample-alignment" src={alignmentUrl} alt={`${alignmentName} at step ${x.step}`} loading="lazy" />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

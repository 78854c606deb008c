import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../../shared/contract/app';
import type { VoiceFromCheckpointsResult } from '../../../../shared/contract/training';
import type { VoiceInfo } from '../../../../shared/contract/synthesis';
import { api, errorMessage } from '../../api/client';
import { Modal } from '../../components/Modal';
import { ProgressBar } from '../../components/ProgressBar';
import { userText } from '../../components/jobText';
import { useJobsStore, whenJobEnds } from '../../stores/jobsStore';
import { checkpointMessage, newVoiceDir } from './addVoice';

/**
 * A voice from checkpoint files, no training (NVIDIA's published tacotron2_statedict.pt and
 * waveglow_256channels_universal_v5.pt, or a run's), and a WaveGlow added to a voice: the files are chosen in the
 * native dialog (Electron) or typed as paths the server may read (web mode: its data folder and open projects),
 * then a job (jobs dock: progress, Cancel) runs the trainer's from-checkpoints / add-waveglow. `onDone` gets the
 * voice folder, which the Synthesize view lists and selects.
 */
type JobRun = { jobId: string | null; error: string | null; done: boolean };

function useCheckpointJob() {
  const [run, setRun] = useState<JobRun | null>(null);
  const job = useJobsStore((s) => (run?.jobId ? s.jobs[run.jobId] : undefined));
  const start = async (label: string, kind: string, call: () => Promise<{ jobId: string }>): Promise<unknown> => {
    setRun({ jobId: null, error: null, done: false });
    try {
      const { jobId } = await call();
      useJobsStore.getState().track(jobId, kind, label);
      setRun({ jobId, error: null, done: false });
      const end = await whenJobEnds(jobId);
      if (end.state === 'done') {
        setRun({ jobId, error: null, done: true });
        return end.result;
      }
      setRun({ jobId, error: end.state === 'cancelled' ? 'Cancelled: nothing was changed.' : checkpointMessage(end.error?.message ?? `${label} failed`), done: false });
    } catch (e) {
      setRun({ jobId: null, error: checkpointMessage(errorMessage(e)), done: false });
    }
    return null;
  };
  const running = run !== null && !run.done && !run.error;
  return { run, job, running, start, cancel: () => run?.jobId && void useJobsStore.getState().cancel(run.jobId) };
}

function useAppInfo(): AppInfo | null {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    api['app.info']({}).then(setInfo, () => undefined);
  }, []);
  return info;
}

function CheckpointField(props: { label: string; value: string; onChange(v: string): void; disabled: boolean; native: boolean; placeholder: string; onError(m: string): void }) {
  const choose = async () => {
    try {
      const r = await api['app.pickFiles']({ title: `Choose the ${props.label}`, purpose: 'checkpoint' });
      if (r.paths[0]) props.onChange(r.paths[0]);
    } catch (e) {
      props.onError(errorMessage(e));
    }
  };
  return (
    <label className="field">
      <span>{props.label}</span>
      <div className="field-row">
        <input value={props.value} onChange={(e) => props.onChange(e.target.value)} disabled={props.disabled} aria-label={props.label} placeholder={props.placeholder} spellCheck={false} />
        {props.native && (
          <button className="button" onClick={() => void choose()} disabled={props.disabled}>
            Choose…
          </button>
        )}
      </div>
    </label>
  );
}

function WhereFilesMayBe({ info }: { info: AppInfo | null }) {
  if (!info || info.nativeDialogs) return null;
  return (
    <p className="hint">
      In the browser, the server reads checkpoint files only inside its data folder <code>{info.dataDir}</code> and open projects: copy them there and paste the full path.
    </p>
  );
}

function JobLine({ job, error }: { job: ReturnType<typeof useCheckpointJob>['job']; error: string | null }) {
  return (
    <>
      {job?.state === 'running' && (
        <div className="export-progress">
          <ProgressBar value={job.progress} label="Progress" />
          <div className="muted small">{userText(job.message)}</div>
        </div>
      )}
      {error && (
        <p className="synth-message synth-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function Footer({ running, onStart, startLabel, canStart, onCancel, onClose }: { running: boolean; onStart(): void; startLabel: string; canStart: boolean; onCancel(): void; onClose(): void }) {
  return running ? (
    <button className="button button-danger" onClick={onCancel}>
      Cancel
    </button>
  ) : (
    <>
      <button className="button button-primary" onClick={onStart} disabled={!canStart}>
        {startLabel}
      </button>
      <button className="button" onClick={onClose}>
        Close
      </button>
    </>
  );
}

export function AddVoiceDialog({ userVoicesDir, voices, onClose, onDone }: { userVoicesDir: string; voices: VoiceInfo[]; onClose(): void; onDone(voiceDir: string): void }) {
  const info = useAppInfo();
  const [tacotron2, setTacotron2] = useState('');
  const [waveglow, setWaveglow] = useState('');
  const [name, setName] = useState('LJSpeech (NVIDIA)');
  const [pickError, setPickError] = useState<string | null>(null);
  const { run, job, running, start, cancel } = useCheckpointJob();
  const outDir = newVoiceDir(userVoicesDir, name, voices);
  const add = async () => {
    setPickError(null);
    const r = (await start(`Add voice “${name.trim()}”`, 'voice-from-checkpoints', () =>
      api['training.voiceFromCheckpoints']({ tacotron2: tacotron2.trim(), ...(waveglow.trim() ? { waveglow: waveglow.trim() } : {}), outDir, name: name.trim(), weights: 'fp32' }),
    )) as VoiceFromCheckpointsResult | null;
    if (r) onDone(r.voiceDir);
  };
  return (
    <Modal
      title="Add a voice from checkpoints"
      onClose={onClose}
      busy={running}
      footer={<Footer running={running} onStart={() => void add()} startLabel="Add voice" canStart={Boolean(tacotron2.trim() && name.trim())} onCancel={cancel} onClose={onClose} />}
    >
      <p className="hint">
        NVIDIA's LJSpeech models make a voice without training: the Tacotron-2 <code>tacotron2_statedict.pt</code> and, for better sound, the WaveGlow{' '}
        <code>waveglow_256channels_universal_v5.pt</code> (linked from github.com/NVIDIA/tacotron2; the app downloads nothing). The files are read as data, never run.
      </p>
      <WhereFilesMayBe info={info} />
      <CheckpointField label="Tacotron-2 checkpoint" value={tacotron2} onChange={setTacotron2} disabled={running} native={Boolean(info?.nativeDialogs)} placeholder="…/tacotron2_statedict.pt" onError={setPickError} />
      <CheckpointField label="WaveGlow checkpoint (optional)" value={waveglow} onChange={setWaveglow} disabled={running} native={Boolean(info?.nativeDialogs)} placeholder="…/waveglow_256channels_universal_v5.pt" onError={setPickError} />
      <label className="field">
        <span>Voice name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} disabled={running} aria-label="Voice name" />
      </label>
      <p className="hint">
        Written to <code>{outDir}</code>.
      </p>
      <JobLine job={job} error={pickError ?? run?.error ?? null} />
    </Modal>
  );
}

export function AddWaveGlowDialog({ voice, onClose, onDone }: { voice: VoiceInfo; onClose(): void; onDone(voiceDir: string): void }) {
  const info = useAppInfo();
  const [waveglow, setWaveglow] = useState('');
  const [pickError, setPickError] = useState<string | null>(null);
  const { run, job, running, start, cancel } = useCheckpointJob();
  const add = async () => {
    setPickError(null);
    const r = await start(`Add a WaveGlow to “${voice.name}”`, 'add-waveglow', () => api['training.addWaveGlow']({ voiceDir: voice.dir, waveglow: waveglow.trim(), weights: 'fp32' }));
    if (r) onDone(voice.dir);
  };
  return (
    <Modal
      title={`Add a WaveGlow to “${voice.name}”`}
      onClose={onClose}
      busy={running}
      footer={<Footer running={running} onStart={() => void add()} startLabel="Add WaveGlow" canStart={Boolean(waveglow.trim())} onCancel={cancel} onClose={onClose} />}
    >
      <p className="hint">
        A WaveGlow checkpoint (NVIDIA's <code>waveglow_256channels_universal_v5.pt</code> or a run's) or a WaveGlow bundle folder made by <code>formant voice vocoder</code>. It must be trained
        on this voice's mel preset ({voice.melPreset ?? 'unknown'}){voice.hasWaveglow ? '; it replaces the WaveGlow the voice has' : ''}.
      </p>
      <WhereFilesMayBe info={info} />
      <CheckpointField label="WaveGlow checkpoint" value={waveglow} onChange={setWaveglow} disabled={running} native={Boolean(info?.nativeDialogs)} placeholder="…/waveglow_256channels_universal_v5.pt" onError={setPickError} />
      <JobLine job={job} error={pickError ?? run?.error ?? null} />
    </Modal>
  );
}

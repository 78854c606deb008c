import { concatFloat32 } from '../../../../shared/dsp/buffers';
import recorderWorkletUrl from './recorderWorklet.js?url&no-inline';

/**
 * The microphone as the Record view uses it: getUserMedia on the chosen input (no echo cancellation, noise
 * suppression or automatic gain: they would colour the voice the model learns), an AudioContext at the
 * device's own rate when it reports one, an AnalyserNode for the meter (read once per display frame) and
 * the recorder worklet (recorderWorklet.js) that captures every sample on the audio thread.
 */
export interface InputDevice {
  deviceId: string;
  label: string;
}

export interface MicInfo {
  label: string;
  /** What the device reports (null when the browser does not say). */
  deviceRate: number | null;
  /** The rate the take is captured and saved at. */
  captureRate: number;
}

export async function listInputs(): Promise<InputDevice[]> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return all.filter((d) => d.kind === 'audioinput').map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${i + 1}` }));
}

/** getUserMedia's failures in words a person can act on. */
export function micErrorMessage(e: unknown): string {
  const name = (e as DOMException)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'The microphone is blocked. Allow Formant Studio to use it (the browser’s address bar or the system’s privacy settings), then try again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No microphone found (or the chosen one was unplugged). Connect one and choose it again.';
  if (name === 'NotReadableError') return 'The microphone is in use by another program or could not be started. Close the other program and try again.';
  return `The microphone could not be opened: ${(e as Error)?.message ?? String(e)}`;
}

export class Microphone {
  readonly analyser: AnalyserNode;
  private chunks: Float32Array[] = [];
  private clipped = 0;
  private stopped: (() => void) | null = null;

  private constructor(
    private readonly stream: MediaStream,
    private readonly ctx: AudioContext,
    private readonly node: AudioWorkletNode,
    analyser: AnalyserNode,
    readonly info: MicInfo,
  ) {
    this.analyser = analyser;
    node.port.onmessage = (e: MessageEvent<{ type: 'samples'; samples: Float32Array; clipped: number } | { type: 'stopped' }>) => {
      if (e.data.type === 'samples') {
        this.chunks.push(e.data.samples);
        this.clipped += e.data.clipped;
      } else this.stopped?.();
    };
  }

  static async open(deviceId: string | null): Promise<Microphone> {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
    });
    const track = stream.getAudioTracks()[0]!;
    const settings = track.getSettings();
    const deviceRate = typeof settings.sampleRate === 'number' && settings.sampleRate > 0 ? settings.sampleRate : null;
    let ctx: AudioContext;
    try {
      ctx = deviceRate ? new AudioContext({ sampleRate: deviceRate, latencyHint: 'interactive' }) : new AudioContext({ latencyHint: 'interactive' });
    } catch {
      ctx = new AudioContext();
    }
    try {
      await ctx.audioWorklet.addModule(recorderWorkletUrl);
      const source = ctx.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(ctx, 'formant-recorder', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 2048;
      // The worklet must be pulled by the graph to run; its output is silence, through a muted gain.
      const mute = ctx.createGain();
      mute.gain.value = 0;
      source.connect(node).connect(mute).connect(ctx.destination);
      source.connect(analyser);
      if (ctx.state === 'suspended') await ctx.resume();
      return new Microphone(stream, ctx, node, analyser, { label: track.label || 'Microphone', deviceRate, captureRate: ctx.sampleRate });
    } catch (e) {
      stream.getTracks().forEach((t) => t.stop());
      void ctx.close();
      throw e;
    }
  }

  start(): void {
    this.chunks = [];
    this.clipped = 0;
    this.node.port.postMessage('start');
  }

  /** Stops capturing and resolves with every sample since start (the worklet's last batch included). */
  async stop(): Promise<{ samples: Float32Array; clippedSamples: number }> {
    const done = new Promise<void>((resolve) => (this.stopped = resolve));
    this.node.port.postMessage('stop');
    await done;
    this.stopped = null;
    const samples = concatFloat32(this.chunks);
    this.chunks = [];
    return { samples, clippedSamples: this.clipped };
  }

  close(): void {
    this.stream.getTracks().forEach((t) => t.stop());
    void this.ctx.close();
  }
}

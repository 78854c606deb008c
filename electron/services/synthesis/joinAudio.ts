import { concatFloat32 } from '../../../shared/dsp/buffers';
/**
 * Joins synthesized sentences into one stream: trims each piece's own leading/trailing silence
 * (voices are trained on clips padded with 0.5 s of silence, so every sentence comes with some),
 * inserts the pause its punctuation asks for, and smooths every boundary with a short fade so no
 * click is heard. Works incrementally so the first sentence can be played while the rest is computed.
 */
export interface TrimOptions {
  /** Frames quieter than peak − this many dB count as silence. */
  relativeDb?: number;
  /** …and frames quieter than this absolute level always do. */
  floorDbfs?: number;
  /** Silence kept on each side of the speech. */
  keepSeconds?: number;
}

/** Returns [start, end) sample indices of the non-silent part (end = start when all silent). */
export function speechRange(samples: Float32Array, sampleRate: number, opts: TrimOptions = {}): [number, number] {
  const frame = Math.max(1, Math.round(sampleRate * 0.01));
  const nFrames = Math.ceil(samples.length / frame);
  if (!nFrames) return [0, 0];
  const rms = new Float64Array(nFrames);
  let peak = 0;
  for (let f = 0; f < nFrames; f++) {
    let s = 0;
    const a = f * frame;
    const b = Math.min(samples.length, a + frame);
    for (let i = a; i < b; i++) s += samples[i] * samples[i];
    rms[f] = Math.sqrt(s / (b - a));
    peak = Math.max(peak, rms[f]);
  }
  if (peak <= 0) return [0, 0];
  const threshold = Math.max(peak * 10 ** (-(opts.relativeDb ?? 40) / 20), 10 ** ((opts.floorDbfs ?? -60) / 20));
  let first = 0;
  while (first < nFrames && rms[first] < threshold) first++;
  if (first === nFrames) return [0, 0];
  let last = nFrames - 1;
  while (last > first && rms[last] < threshold) last--;
  const keep = Math.round((opts.keepSeconds ?? 0.03) * sampleRate);
  return [Math.max(0, first * frame - keep), Math.min(samples.length, (last + 1) * frame + keep)];
}

export interface JoinOptions {
  /** Fade length at every boundary (and overlap length when two pieces join without a pause). */
  crossfadeSeconds?: number;
  trim?: TrimOptions | false;
}

/**
 * Incremental joiner: `push` each piece in order with the pause that follows it, and get back the
 * samples that are final; `finish` flushes the held-back fade tail.
 */
export class AudioJoiner {
  private readonly fade: number;
  /** The end of the previous piece, held back so the next piece can overlap it. */
  private tail: Float32Array = new Float32Array(0);
  private pendingPause = 0;
  private started = false;
  emittedSamples = 0;
  /** Samples of each boundary's cross-fade when two pieces join without a pause. */
  get fadeSamples(): number {
    return this.fade;
  }

  constructor(
    readonly sampleRate: number,
    private readonly opts: JoinOptions = {},
  ) {
    this.fade = Math.max(0, Math.round((opts.crossfadeSeconds ?? 0.01) * sampleRate));
  }

  /**
   * `keep`: sides of the piece not to trim — where a chunk was vocoded in two pieces (firstPiece.ts),
   * the end of the first and the start of the second are the middle of a sentence.
   */
  push(piece: Float32Array, pauseAfterSeconds: number, keep: { start?: boolean; end?: boolean } = {}): Float32Array {
    let body = piece;
    if (this.opts.trim !== false) {
      const [a, b] = speechRange(piece, this.sampleRate, this.opts.trim || {});
      body = piece.subarray(keep.start ? 0 : a, keep.end ? piece.length : b);
    }
    const n = Math.min(this.fade, Math.floor(body.length / 2));
    const head = new Float32Array(body.subarray(0, n));
    for (let i = 0; i < n; i++) head[i] *= fadeIn(i, n);
    const out: Float32Array[] = [];
    if (!this.started) {
      out.push(head);
    } else if (this.pendingPause > 0) {
      out.push(this.fadedTail(), new Float32Array(Math.round(this.pendingPause * this.sampleRate)), head);
    } else {
      // No pause: overlap the previous tail (fading out) with this head (fading in), equal-power.
      const m = Math.max(this.tail.length, head.length);
      const mix = new Float32Array(m);
      const tailN = this.tail.length;
      for (let i = 0; i < tailN; i++) mix[i] += this.tail[i] * fadeOut(i, tailN);
      for (let i = 0; i < head.length; i++) mix[i] += head[i];
      out.push(mix);
    }
    this.started = true;
    const keepTail = Math.min(this.fade, body.length - n);
    out.push(body.subarray(n, body.length - keepTail));
    this.tail = new Float32Array(body.subarray(body.length - keepTail));
    this.pendingPause = Math.max(0, pauseAfterSeconds);
    return this.emit(out);
  }

  finish(): Float32Array {
    const out = this.started ? [this.fadedTail()] : [];
    this.tail = new Float32Array(0);
    return this.emit(out);
  }

  private fadedTail(): Float32Array {
    const n = this.tail.length;
    const t = new Float32Array(this.tail);
    for (let i = 0; i < n; i++) t[i] *= fadeOut(i, n);
    return t;
  }

  private emit(parts: Float32Array[]): Float32Array {
    const out = concatFloat32(parts);
    this.emittedSamples += out.length;
    return out;
  }
}

// Equal-power (sine/cosine) fades: the sum of a fading-out and a fading-in copy keeps constant power.
function fadeIn(i: number, n: number): number {
  return Math.sin(((i + 0.5) / n) * (Math.PI / 2));
}
function fadeOut(i: number, n: number): number {
  return Math.cos(((i + 0.5) / n) * (Math.PI / 2));
}

/** Joins all pieces at once (the same result as pushing them one by one). */
export function joinAudio(pieces: { audio: Float32Array; pauseAfterSeconds: number }[], sampleRate: number, opts: JoinOptions = {}): Float32Array {
  const j = new AudioJoiner(sampleRate, opts);
  const parts = pieces.map((p) => j.push(p.audio, p.pauseAfterSeconds));
  parts.push(j.finish());
  return concatFloat32(parts);
}

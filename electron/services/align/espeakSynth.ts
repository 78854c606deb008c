import { ServiceError } from '../../../shared/contract/rpc';
import { decodeWav, downmix } from '../../../shared/dsp/wav';
import { runEspeak } from '../espeak/espeakWasm';

/**
 * Speech from espeak-ng (WebAssembly, espeak/espeakWasm.ts): a run costs ~0.2 s to start while the
 * synthesis itself runs at ~300x real time. So sentences are synthesized in batches, one run
 * per batch, separated by SSML breaks much longer than any pause espeak makes by itself; the
 * batch output is then cut at those breaks. When the cut does not give exactly one piece per
 * text (a text that makes no sound), the batch falls back to one run per text.
 */
export const ESPEAK_SAMPLE_RATE = 22050;
const BREAK_SECONDS = 3;
/** A run of digital silence at least this long is one of our breaks (espeak's own pauses are < 1 s). */
const BREAK_DETECT_SECONDS = 2;

export interface EspeakOptions {
  /** espeak-ng voice, e.g. en-us. */
  voice?: string;
  /** Words per minute (espeak default 175). */
  wordsPerMinute?: number;
}

/** Runs espeak-ng once on an SSML document and returns its mono samples at 22050 Hz. */
export async function espeakSsml(ssml: string, opts: EspeakOptions = {}): Promise<Float32Array> {
  const args = ['-m', '-v', opts.voice ?? 'en-us', '-s', String(opts.wordsPerMinute ?? 175), '-w', '/tmp/out.wav', '-f', '/tmp/in.ssml'];
  const { fs, status, errors } = await runEspeak(args, { '/tmp/in.ssml': ssml });
  let bytes: Uint8Array;
  try {
    bytes = fs.readFile('/tmp/out.wav') as Uint8Array;
  } catch {
    throw new ServiceError('espeak-failed', `espeak-ng wrote no audio (status ${status}): ${errors.join(' ')}`);
  }
  const wav = decodeWav(bytes);
  return wav.channels.length === 1 ? wav.channels[0]! : downmix(wav.channels);
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Silence below this (digital zero after 16-bit quantization) separates our break markers. */
const ZERO = 1 / 32768;

/** Finds runs of digital silence of at least `minSamples`; returns [start, end) sample ranges. */
export function zeroRuns(x: Float32Array, minSamples: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= x.length; i++) {
    const silent = i < x.length && Math.abs(x[i]!) < ZERO;
    if (silent && start < 0) start = i;
    else if (!silent && start >= 0) {
      if (i - start >= minSamples) runs.push([start, i]);
      start = -1;
    }
  }
  return runs;
}

/** Cuts leading and trailing digital silence. */
export function trimZeros(x: Float32Array): Float32Array {
  let a = 0;
  let b = x.length;
  while (a < b && Math.abs(x[a]!) < ZERO) a++;
  while (b > a && Math.abs(x[b - 1]!) < ZERO) b--;
  return x.subarray(a, b);
}

/**
 * Synthesizes each text; returns one trimmed sample array per text (empty when a text makes
 * no sound). `maxBatchChars` bounds one espeak run.
 */
export async function synthesizeTexts(
  texts: string[],
  opts: EspeakOptions & {
    maxBatchChars?: number;
    onProgress?: (done: number) => void;
    /** Receives each batch's pieces (first index `at`); then they are not kept in the result (bounded memory). */
    onPieces?: (pieces: Float32Array[], at: number) => void;
    signal?: AbortSignal;
  } = {},
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  const maxChars = opts.maxBatchChars ?? 4000;
  let i = 0;
  while (i < texts.length) {
    if (opts.signal?.aborted) throw new ServiceError('cancelled', 'alignment cancelled');
    let j = i;
    let chars = 0;
    while (j < texts.length && (j === i || chars + texts[j]!.length <= maxChars)) chars += texts[j++]!.length;
    const pieces = await synthesizeBatch(texts.slice(i, j), opts);
    if (opts.onPieces) opts.onPieces(pieces, i);
    else out.push(...pieces);
    i = j;
    opts.onProgress?.(i);
  }
  return out;
}

async function synthesizeBatch(texts: string[], opts: EspeakOptions): Promise<Float32Array[]> {
  const ssml = `<speak>${texts.map(escapeXml).join(`<break time="${BREAK_SECONDS}s"/>`)}</speak>`;
  const audio = await espeakSsml(ssml, opts);
  const runs = zeroRuns(audio, BREAK_DETECT_SECONDS * ESPEAK_SAMPLE_RATE);
  // Ignore silence before the first sound and after the last one.
  const inner = runs.filter(([a, b]) => a > 0 && b < audio.length);
  if (inner.length === texts.length - 1) {
    const pieces: Float32Array[] = [];
    let from = 0;
    for (const [a, b] of inner) {
      pieces.push(trimZeros(audio.subarray(from, a)));
      from = b;
    }
    pieces.push(trimZeros(audio.subarray(from)));
    return pieces;
  }
  if (texts.length === 1) return [trimZeros(audio)];
  const pieces: Float32Array[] = [];
  for (const t of texts) pieces.push(trimZeros(await espeakSsml(`<speak>${escapeXml(t)}</speak>`, opts)));
  return pieces;
}

import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServiceError } from '../../../shared/contract/rpc';
import { decodeWav, downmix } from '../../../shared/dsp/wav';

/**
 * espeak-ng compiled to WebAssembly (npm `espeak-ng`), run inside Node: no binary, no Python.
 *
 * The package is the espeak-ng *command line* built with Emscripten: every run instantiates
 * a fresh module (its 18 MB of voice data is embedded in the wasm) and costs ~0.2 s, while the
 * synthesis itself runs at ~300x real time. So sentences are synthesized in batches, one run
 * per batch, separated by SSML breaks much longer than any pause espeak makes by itself; the
 * batch output is then cut at those breaks. When the cut does not give exactly one piece per
 * text (a text that makes no sound), the batch falls back to one run per text.
 */
export const ESPEAK_SAMPLE_RATE = 22050;
const BREAK_SECONDS = 3;
/** A run of digital silence at least this long is one of our breaks (espeak's own pauses are < 1 s). */
const BREAK_DETECT_SECONDS = 2;

type EspeakFactory = (module: Record<string, unknown>) => Promise<{ FS: { readFile(p: string): Uint8Array } }>;
let loaded: Promise<{ factory: EspeakFactory; wasm: WebAssembly.Module }> | null = null;

function load(): Promise<{ factory: EspeakFactory; wasm: WebAssembly.Module }> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const jsPath = require.resolve('espeak-ng');
    const wasmPath = path.join(path.dirname(jsPath), 'espeak-ng.wasm');
    const [mod, bytes] = await Promise.all([import(pathToFileURL(jsPath).href), fs.readFile(wasmPath)]);
    // Compile once; each run only instantiates (the expensive part left is memory setup).
    const wasm = await WebAssembly.compile(bytes);
    return { factory: (mod as { default: EspeakFactory }).default, wasm };
  })().catch((e) => {
    loaded = null;
    throw new ServiceError('espeak-unavailable', `espeak-ng (WebAssembly) could not be loaded: ${(e as Error).message}`);
  });
  return loaded;
}

export interface EspeakOptions {
  /** espeak-ng voice, e.g. en-us. */
  voice?: string;
  /** Words per minute (espeak default 175). */
  wordsPerMinute?: number;
}

/** Runs espeak-ng once on an SSML document and returns its mono samples at 22050 Hz. */
export async function espeakSsml(ssml: string, opts: EspeakOptions = {}): Promise<Float32Array> {
  const { factory, wasm } = await load();
  const errors: string[] = [];
  let status = 0;
  const args = ['-m', '-v', opts.voice ?? 'en-us', '-s', String(opts.wordsPerMinute ?? 175), '-w', '/tmp/out.wav', '-f', '/tmp/in.ssml'];
  let instance: Awaited<ReturnType<EspeakFactory>>;
  try {
    instance = await factory({
      arguments: args,
      print: () => undefined,
      printErr: (s: string) => errors.push(s),
      // The generated code would set process.exitCode on a non-zero exit; keep our process's code ours.
      quit: (code: number, toThrow: unknown) => {
        status = code;
        throw toThrow;
      },
      preRun: [(m: { FS: { writeFile(p: string, d: string): void } }) => m.FS.writeFile('/tmp/in.ssml', ssml)],
      instantiateWasm(imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) {
        WebAssembly.instantiate(wasm, imports).then(done, (e) => errors.push(String(e)));
        return {};
      },
    });
  } catch (e) {
    throw new ServiceError('espeak-failed', `espeak-ng failed: ${errors.join(' ') || (e as Error)?.message || String(e)}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = instance.FS.readFile('/tmp/out.wav');
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

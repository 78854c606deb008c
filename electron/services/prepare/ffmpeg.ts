import { concatFloat32 } from '../../../shared/dsp/buffers';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';

/**
 * The ffmpeg boundary: which binary, what a file holds (probe), and decoding any input to mono
 * float32 at a given rate as a stream of chunks (bounded memory, however long the file).
 *
 * Binary resolution (ffmpeg): $FFMPEG_BIN / $FFMPEG_PATH → ffmpeg-static's binary if that file
 * exists → `ffmpeg` on PATH. ffprobe: $FFPROBE_BIN / $FFPROBE_PATH → an `ffprobe` next to the
 * resolved ffmpeg → `ffprobe` on PATH.
 */

const require = createRequire(import.meta.url);
const exe = process.platform === 'win32' ? '.exe' : '';

function isFile(p: string | undefined | null): p is string {
  try {
    return Boolean(p) && statSync(p as string).isFile();
  } catch {
    return false;
  }
}

let cachedFfmpeg: string | undefined;
export function ffmpegPath(): string {
  const fromEnv = process.env.FFMPEG_BIN || process.env.FFMPEG_PATH;
  if (fromEnv) return fromEnv;
  if (cachedFfmpeg) return cachedFfmpeg;
  let bundled: string | null;
  try {
    bundled = require('ffmpeg-static') as string | null;
  } catch {
    bundled = null;
  }
  // Inside an asar archive the binary is unpacked next to it.
  if (bundled) bundled = bundled.replace('app.asar', 'app.asar.unpacked');
  return (cachedFfmpeg = isFile(bundled) ? bundled : `ffmpeg${exe}`);
}

export function ffprobePath(): string {
  const fromEnv = process.env.FFPROBE_BIN || process.env.FFPROBE_PATH;
  if (fromEnv) return fromEnv;
  const ff = ffmpegPath();
  const sibling = path.join(path.dirname(ff), `ffprobe${exe}`);
  return path.isAbsolute(ff) && existsSync(sibling) ? sibling : `ffprobe${exe}`;
}

/** Cannot read or decode an audio file. Code `bad-audio`; the message names the file. */
export class AudioDecodeError extends ServiceError {
  constructor(file: string, reason: string) {
    super('bad-audio', `${path.basename(file)}: ${reason}`, { file });
    this.name = 'AudioDecodeError';
  }
}

export interface AudioInfo {
  /** Container duration as ffmpeg reports it (null when unknown: streams, damaged headers). */
  durationSeconds: number | null;
  sampleRate: number | null;
  channels: number | null;
  /** e.g. pcm_s16le, mp3, flac, opus. */
  codec: string | null;
  /** Bits per sample of the stored audio (PCM, FLAC…); null for lossy codecs. */
  bitsPerSample: number | null;
}

const LOSSY = /^(mp3|mp2|aac|opus|vorbis|wmav\d|ac3|eac3|amr_nb|amr_wb|gsm|adpcm.*)$/;

function spawnFailed(bin: string, e: NodeJS.ErrnoException): ServiceError {
  if (e.code === 'ENOENT')
    return new ServiceError('no-ffmpeg', `${bin} was not found. Install ffmpeg (Debian: apt-get install ffmpeg) or set FFMPEG_BIN to its path.`);
  return new ServiceError('no-ffmpeg', `could not run ${bin}: ${e.message}`);
}

/** Turns ffmpeg's stderr into the one or two lines that say what went wrong, without paths. */
export function summarizeFfmpegError(stderr: string, file: string): string {
  const base = path.basename(file);
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^\[[^\]]+\]\s*/, '').split(file).join(base))
    .filter((l) => l && !/^(Input #|Output #|Stream|Duration:|Metadata:|encoder\s|Guessed|size=|video:)/.test(l));
  const meaningful = lines.filter((l) => /error|invalid|corrupt|failed|could not|unsupported|not found|misdetection|no such|matches no streams|does not contain|end of file/i.test(l));
  const picked = (meaningful.length ? meaningful : lines).slice(-2);
  return picked.join('; ') || 'ffmpeg failed without a message';
}

/** Parses ffmpeg's "Input #0" banner (stderr, loglevel info) for the first audio stream. */
export function parseInputBanner(stderr: string): AudioInfo {
  const info: AudioInfo = { durationSeconds: null, sampleRate: null, channels: null, codec: null, bitsPerSample: null };
  const inputAt = stderr.indexOf('Input #0');
  const text = inputAt >= 0 ? stderr.slice(inputAt, stderr.indexOf('Stream mapping') > 0 ? stderr.indexOf('Stream mapping') : undefined) : stderr;
  const d = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(text);
  if (d) info.durationSeconds = +d[1] * 3600 + +d[2] * 60 + +d[3];
  const s = /Stream #0:\d+[^:]*: Audio: ([^\s,]+)[^,]*, (\d+) Hz, ([^,]+), ([^,\n]+)/.exec(text);
  if (s) {
    info.codec = s[1];
    info.sampleRate = +s[2];
    info.channels = channelsFromLayout(s[3].trim());
    info.bitsPerSample = LOSSY.test(info.codec) ? null : bitsFromSampleFormat(s[4].trim());
  }
  return info;
}

function channelsFromLayout(layout: string): number | null {
  const named: Record<string, number> = { mono: 1, stereo: 2, '2.1': 3, '3.0': 3, quad: 4, '4.0': 4, '4.1': 5, '5.0': 5, '5.1': 6, '5.0(side)': 5, '5.1(side)': 6, '6.1': 7, '7.1': 8 };
  if (named[layout] != null) return named[layout];
  const m = /^(\d+) channels/.exec(layout);
  return m ? +m[1] : null;
}

function bitsFromSampleFormat(fmt: string): number | null {
  const explicit = /\((\d+) bit\)/.exec(fmt);
  if (explicit) return +explicit[1];
  const m = /^(u8|s16|s32|s64|flt|dbl)p?/.exec(fmt);
  if (!m) return null;
  return { u8: 8, s16: 16, s32: 32, s64: 64, flt: 32, dbl: 64 }[m[1]] ?? null;
}

function checkReadable(file: string): number {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new AudioDecodeError(file, 'not a file');
    size = st.size;
  } catch (e) {
    if (e instanceof ServiceError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new AudioDecodeError(file, code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? (e as Error).message})`);
  }
  if (size === 0) throw new AudioDecodeError(file, 'empty file (0 bytes)');
  return size;
}

/** What an audio file holds, via ffprobe (one process; JSON output). */
export async function probe(file: string, signal?: AbortSignal): Promise<AudioInfo> {
  checkReadable(file);
  const bin = ffprobePath();
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-select_streams', 'a:0', file];
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.name === 'AbortError' ? new ServiceError('cancelled', 'probe cancelled') : spawnFailed(bin, e)));
    child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  if (code !== 0) throw new AudioDecodeError(file, `cannot decode (${summarizeFfmpegError(stderr, file)})`);
  const j = JSON.parse(stdout || '{}') as {
    streams?: { codec_name?: string; sample_rate?: string; channels?: number; bits_per_raw_sample?: string; bits_per_sample?: number; sample_fmt?: string; duration?: string }[];
    format?: { duration?: string };
  };
  const s = j.streams?.[0];
  if (!s) throw new AudioDecodeError(file, 'no audio stream in this file');
  const codec = s.codec_name ?? null;
  let bits: number | null = Number(s.bits_per_raw_sample) || s.bits_per_sample || null;
  if (!bits && s.sample_fmt) bits = bitsFromSampleFormat(s.sample_fmt);
  if (codec && LOSSY.test(codec)) bits = null;
  const dur = Number(s.duration ?? j.format?.duration);
  return {
    durationSeconds: Number.isFinite(dur) ? dur : null,
    sampleRate: Number(s.sample_rate) || null,
    channels: s.channels ?? null,
    codec,
    bitsPerSample: bits,
  };
}

export interface DecodeOptions {
  /** Output rate (the project rate). */
  sampleRate: number;
  /** Decode only [start, start + duration) seconds of the input. */
  startSeconds?: number;
  durationSeconds?: number;
  signal?: AbortSignal;
}

export interface DecodeSummary {
  info: AudioInfo;
  /** Mono samples delivered. */
  samples: number;
  /** Problems ffmpeg reported while still producing audio (damaged/truncated data). */
  warnings: string[];
}

export interface MonoDecode {
  /** Mono float32 chunks in order; throws AudioDecodeError when ffmpeg fails. */
  chunks: AsyncIterable<Float32Array>;
  /** Resolves after `chunks` is exhausted. */
  summary: Promise<DecodeSummary>;
}

/**
 * Decodes any input ffmpeg understands to mono float32 at `sampleRate`, as a stream.
 * Downmixing is ffmpeg's (swresample's standard matrix: 5.1 → mono keeps centre and fronts,
 * surrounds at -3 dB, no LFE), resampling is swresample's default (windowed sinc).
 * One process, no separate ffprobe: the input's rate/channels/codec come from ffmpeg's banner.
 */
export function decodeMono(file: string, opts: DecodeOptions): MonoDecode {
  let resolveSummary!: (s: DecodeSummary) => void;
  let rejectSummary!: (e: unknown) => void;
  const summary = new Promise<DecodeSummary>((res, rej) => {
    resolveSummary = res;
    rejectSummary = rej;
  });
  summary.catch(() => undefined);

  async function* generate(): AsyncGenerator<Float32Array> {
    checkReadable(file);
    if (opts.signal?.aborted) throw new ServiceError('cancelled', 'decoding cancelled');
    const bin = ffmpegPath();
    const args = ['-hide_banner', '-nostdin', '-nostats'];
    if (opts.startSeconds) args.push('-ss', opts.startSeconds.toFixed(6));
    if (opts.durationSeconds != null) args.push('-t', opts.durationSeconds.toFixed(6));
    args.push('-i', file, '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(opts.sampleRate), '-f', 'f32le', '-acodec', 'pcm_f32le', 'pipe:1');
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.length > 256 * 1024) stderr = stderr.slice(0, 64 * 1024) + stderr.slice(-128 * 1024); // keep the banner and the end
    });
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (e) => (spawnError = e));
    const exited = new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    const onAbort = () => child.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let samples = 0;
    let finished = false;
    try {
      let carry: Uint8Array | null = null;
      for await (const buf of child.stdout as AsyncIterable<Buffer>) {
        let bytes: Uint8Array = buf;
        if (carry) {
          const joined = new Uint8Array(carry.length + buf.length);
          joined.set(carry);
          joined.set(buf, carry.length);
          bytes = joined;
          carry = null;
        }
        const n = bytes.length >> 2;
        if (bytes.length & 3) carry = bytes.slice(n << 2);
        if (!n) continue;
        const out = new Float32Array(n);
        new Uint8Array(out.buffer).set(bytes.subarray(0, n << 2));
        samples += n;
        yield out;
      }
      const code = await exited;
      if (spawnError) throw spawnFailed(bin, spawnError);
      if (opts.signal?.aborted) throw new ServiceError('cancelled', 'decoding cancelled');
      if (code !== 0) throw new AudioDecodeError(file, `cannot decode (${summarizeFfmpegError(stderr, file)})`);
      const info = parseInputBanner(stderr);
      if (!info.codec && samples === 0) throw new AudioDecodeError(file, 'no audio stream in this file');
      const warnings: string[] = [];
      const damage = stderr.split(/\r?\n/).filter((l) => /corrupt|Invalid data|Error while decoding|invalid frame|Header missing|overread|truncat/i.test(l));
      if (damage.length) warnings.push(`damaged or truncated audio; decoded what was readable (${summarizeFfmpegError(damage.join('\n'), file)})`);
      finished = true;
      resolveSummary({ info, samples, warnings });
    } catch (e) {
      rejectSummary(e);
      throw e;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      if (!finished) {
        // Consumer stopped early (or failed): stop ffmpeg; the summary will never be complete.
        if (child.exitCode === null) child.kill('SIGKILL');
        rejectSummary(new ServiceError('cancelled', 'decoding stopped before the end'));
      }
    }
  }
  return { chunks: generate(), summary };
}

/** Decodes a whole input (or a region of it) into memory. For long files prefer `decodeMono`'s stream. */
export async function decodeMonoToArray(file: string, opts: DecodeOptions): Promise<{ samples: Float32Array; summary: DecodeSummary }> {
  const dec = decodeMono(file, opts);
  const parts: Float32Array[] = [];
  for await (const c of dec.chunks) parts.push(c);
  return { samples: concatFloat32(parts), summary: await dec.summary };
}

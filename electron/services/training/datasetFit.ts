import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import type { DatasetFit, TextFrontend, TrainerModel } from '../../../shared/contract/training';
import { MEL_PRESETS, type MelPreset } from '../../../shared/dsp/melPresets';
import { parseWavHeader } from '../../../shared/dsp/wav';
import { textToSequence } from '../../../shared/text/symbols';
import { readJsonObject } from '../fileUtils';
import { PHONEMES_CSV, readMetadataTexts } from './phonemesCsv';

/**
 * How much of a dataset a configuration trains on, said before Start (issue 19: the tiny preset silently
 * dropped most clips). Mirrors the trainer's TextMelDataset filter: a clip is skipped when its mel has more
 * frames than max_wav_seconds allows, and (duration model) when it has fewer frames than symbols. Only WAV
 * headers and transcripts are read, so it answers in well under a second for thousands of clips.
 */

/** resources/trainer/formant_trainer/hparams.py: max_wav_seconds of each preset (datasetFit.spec checks them against Python). */
export const PRESET_MAX_WAV_SECONDS: Record<string, number> = { default: 12, tiny: 6 };

interface ConfigLimits {
  maxWavSeconds: number;
  melPreset: MelPreset;
  textFrontend: TextFrontend;
}

/** max_wav_seconds, mel preset and text input of a preset or a JSON config ({"base": …, field: value}). */
export async function configLimits(config: string): Promise<ConfigLimits> {
  const json = config in PRESET_MAX_WAV_SECONDS ? {} : await readJsonObject(config);
  if (!json) throw new ServiceError('bad-input', `--config ${config}: not a preset (tiny|default) nor a readable JSON file`);
  const base = typeof json.base === 'string' ? json.base : 'default';
  if (!(base in PRESET_MAX_WAV_SECONDS)) throw new ServiceError('bad-input', `${config}: unknown base preset ${JSON.stringify(base)} (tiny|default)`);
  const max = typeof json.max_wav_seconds === 'number' ? json.max_wav_seconds : PRESET_MAX_WAV_SECONDS[config in PRESET_MAX_WAV_SECONDS ? config : base];
  const presetName = typeof json.mel_preset === 'string' ? json.mel_preset : 'nvidia';
  if (presetName !== 'nvidia' && presetName !== 'seed') throw new ServiceError('bad-input', `${config}: unknown mel_preset ${JSON.stringify(presetName)} (nvidia|seed)`);
  return { maxWavSeconds: max, melPreset: MEL_PRESETS[presetName], textFrontend: json.text_frontend === 'phonemes' ? 'phonemes' : 'characters' };
}

/** Length of a WAV from its header: the first 64 KiB hold it in any file our export or LJSpeech writes. */
async function wavSeconds(file: string): Promise<{ seconds: number; samples: number; rate: number } | null> {
  const fh = await fs.open(file, 'r').catch(() => null);
  if (!fh) return null;
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(size, 65536));
    await fh.read(buf, 0, buf.length, 0);
    const h = parseWavHeader(buf, { fileLength: size });
    return { seconds: h.frames / h.sampleRate, samples: h.frames, rate: h.sampleRate };
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}

async function readPhonemes(datasetDir: string): Promise<Map<string, string> | null> {
  const text = await fs.readFile(path.join(datasetDir, PHONEMES_CSV), 'utf8').catch(() => null);
  if (text === null) return null;
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('|');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1).replace(/\r$/, ''));
  }
  return out;
}

/** Runs `fn` over `items` with at most `n` at a time (file handles), keeping order. */
async function mapLimit<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** Null where the folder holds no metadata.csv yet (nothing exported there): not an error, nothing to measure. */
export async function datasetFit(input: { datasetDir: string; config?: string; model?: TrainerModel; textFrontend?: TextFrontend }): Promise<DatasetFit | null> {
  const metadata = path.join(input.datasetDir, 'metadata.csv');
  if (!existsSync(metadata)) return null;
  const model = input.model ?? 'tacotron2';
  const limits = await configLimits(input.config ?? 'default');
  const frontend = input.textFrontend ?? limits.textFrontend;
  const rows = await readMetadataTexts(metadata);
  const hop = limits.melPreset.hopLength;
  const rate = limits.melPreset.sampleRate;
  const maxFrames = (limits.maxWavSeconds * rate) / hop;
  const phonemes = model === 'fastpitch' && frontend === 'phonemes' ? await readPhonemes(input.datasetDir) : null;
  const symbolsChecked = model !== 'fastpitch' || frontend === 'characters' || phonemes !== null;
  const fit: DatasetFit = { clips: rows.length, seconds: 0, usable: 0, usableSeconds: 0, maxWavSeconds: limits.maxWavSeconds, tooLong: 0, tooLongSeconds: 0, tooFewFrames: 0, unreadable: 0, symbolsChecked };
  const lengths = await mapLimit(rows, 16, (r) => wavSeconds(path.join(input.datasetDir, 'wavs', `${r.id}.wav`)));
  rows.forEach((r, i) => {
    const w = lengths[i];
    if (!w) {
      fit.unreadable++;
      return;
    }
    fit.seconds += w.seconds;
    // the trainer's mel at the preset's rate: 1 + samples / hop frames (centred STFT)
    const frames = 1 + Math.floor((w.samples * rate) / w.rate / hop);
    if (frames > maxFrames) {
      fit.tooLong++;
      fit.tooLongSeconds += w.seconds;
      return;
    }
    if (model === 'fastpitch' && symbolsChecked) {
      let symbols: number;
      try {
        symbols = frontend === 'phonemes' ? [...(phonemes!.get(r.id) ?? '')].length : textToSequence(r.text).length;
      } catch {
        symbols = 0; // unspellable: the trainer reports those itself
      }
      if (symbols > frames) {
        fit.tooFewFrames++;
        return;
      }
    }
    fit.usable++;
    fit.usableSeconds += w.seconds;
  });
  return fit;
}

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RegisterCommand } from '../formant';
import { runInterruptible } from '../interruptible';
import { checkOutputFile, integerOption, seedOption } from '../options';
import { ProgressBar } from '../progress';
import { ServiceError } from '../../../shared/contract/rpc';
import { encodeWav } from '../../../shared/dsp/wav';
import { writeFileAtomic } from '../../services/atomicWrite';
import { runSynthesis } from '../../services/synthesis/operations';
import { VOCODERS } from '../../services/synthesis/vocoders';
import type { VocoderName } from '../../services/synthesis/synthesize';

/**
 * `formant say "<text>" -o out.wav`: text → speech in one step with a voice bundle (default: the
 * embedded demo voice). Long text is split into sentences, synthesized in order with a progress
 * bar, and joined with punctuation pauses; the WAV (mono 16-bit PCM) is written atomically.
 */
interface SayOptions {
  voice?: string;
  vocoder: string;
  textFile?: string;
  seed: number;
  out: string;
  waveglowFrom?: string;
  maxChars?: number;
  stopThreshold?: string;
  retry: boolean;
  json?: boolean;
  pace?: string;
  pitch?: string;
}

async function readTextFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    throw new ServiceError('bad-input', `cannot read --text-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ServiceError('bad-input', `--text-file ${file} is not UTF-8 text; convert it (e.g. iconv -t UTF-8) and try again`);
  }
}

/** A decimal number option; the voice's own range is checked by the synthesis service (before any compute). */
function numberOption(name: string, v: string | undefined, what: string): number | undefined {
  if (v == null) return undefined;
  const n = Number(v);
  if (!v.trim() || !Number.isFinite(n)) throw new ServiceError('bad-input', `${name} must be ${what}, got "${v}"`);
  return n;
}

export const registerSay: RegisterCommand = (program, setExit) => {
  program
    .command('say [text]')
    .description('synthesize speech from text with a voice bundle (default: the embedded demo voice) into a WAV file')
    .requiredOption('-o, --out <out.wav>', 'the WAV file to write (mono 16-bit PCM at the voice rate, 22050 Hz)')
    .option('--voice <voice-dir>', 'a voice folder (voice.json + ONNX graphs); default: resources/voices/demo')
    .option('--vocoder <name>', `${VOCODERS.join(' | ')}`, 'griffin-lim')
    .option('--text-file <file>', 'read the text from a UTF-8 file instead')
    .option('--seed <n>', 'seed of the pre-net dropout and vocoder noise (same seed, same audio)', seedOption(), 1)
    .option('--waveglow-from <dir>', "use another voice's WaveGlow, or a vocoder bundle (`formant voice vocoder`); its mel preset must match")
    .option('--max-chars <n>', "longest chunk in characters, 10–1000 (default: the voice's comfortable length)", integerOption('--max-chars', 10, 1000))
    .option('--stop-threshold <p>', 'stop-token probability that ends a sentence (default: the voice’s, 0.5)')
    .option('--no-retry', 'do not retry sentences whose attention failed')
    .option('--pace <x>', 'duration voices: speaking rate, 1 = as trained, 2 = twice as fast, 0.5 = half as fast (within the voice’s range, usually 1/3–3)')
    .option('--pitch <semitones>', 'duration voices: pitch shift in semitones, e.g. 2 or -3 (within the voice’s range, usually ±12)')
    .option('--json', 'print the result summary as JSON')
    .action(async (textArg: string | undefined, opts: SayOptions) => {
      if (textArg != null && opts.textFile) throw new ServiceError('bad-input', 'give the text either as an argument or with --text-file, not both');
      const text = opts.textFile ? await readTextFile(opts.textFile) : textArg;
      if (text == null) throw new ServiceError('bad-input', 'no text: formant say "Hello there." -o hello.wav (or --text-file <file>)');
      if (!VOCODERS.includes(opts.vocoder as VocoderName)) throw new ServiceError('bad-input', `unknown vocoder "${opts.vocoder}" (known: ${VOCODERS.join(', ')})`);
      const { seed, maxChars } = opts;
      const stopThreshold = opts.stopThreshold != null ? Number(opts.stopThreshold) : undefined;
      if (stopThreshold != null && !(stopThreshold > 0 && stopThreshold < 1)) throw new ServiceError('bad-input', `--stop-threshold must be between 0 and 1, got "${opts.stopThreshold}"`);
      const pace = numberOption('--pace', opts.pace, 'a number above 0 (1 = as trained, 2 = twice as fast)');
      if (pace != null && pace <= 0) throw new ServiceError('bad-input', `--pace must be above 0 (1 = as trained, 2 = twice as fast), got "${opts.pace}"`);
      const pitch = numberOption('--pitch', opts.pitch, 'a number of semitones (e.g. 2 or -3)');
      const out = path.resolve(opts.out);
      await checkOutputFile('-o', opts.out); // before the synthesis, not after it

      const bar = new ProgressBar(0, 'say');
      await runInterruptible(async (signal) => {
        const result = await runSynthesis(
          {
            text,
            voiceDir: opts.voice,
            vocoder: opts.vocoder as VocoderName,
            waveglowFromDir: opts.waveglowFrom,
            seed,
            maxChars,
            stopThreshold,
            retry: opts.retry,
            pace,
            pitch,
          },
          ({ report, partial }) => {
            if (partial) return; // the first second of a long first sentence, released early (counted with its sentence)
            if (!report.ok) bar.log(`warning: sentence ${report.index + 1}: ${report.notes.join('; ')}`);
            bar.tick(1, report.text.slice(0, 40));
          },
          signal,
          (chunks) => bar.setTotal(chunks.length),
          // WaveGlow renders a long sentence in windows: show how far it is (Ctrl-C stops between windows)
          (index, done, total) => {
            if (done < total) bar.tick(0, `WaveGlow ${Math.round((100 * done) / total)} % of chunk ${index + 1}`);
          },
        );
        bar.finish();
        await writeFileAtomic(out, encodeWav(result.audio, result.sampleRate));
        const summary = {
          out,
          seconds: +result.timings.audioSeconds.toFixed(3),
          sampleRate: result.sampleRate,
          sentences: result.sentences.length,
          unfixed: result.sentences.filter((s) => !s.ok).length,
          provider: result.provider,
          rtf: +result.timings.rtf.toFixed(3),
          firstAudioSeconds: +(result.timings.firstAudioMs / 1000).toFixed(3),
          notes: result.notes,
        };
        // Per-sentence problems were logged as they happened; the provider note once at the end.
        for (const n of result.providerNotes) process.stderr.write(`note: ${n}\n`);
        if (opts.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
        else
          process.stdout.write(
            `wrote ${out}: ${summary.seconds.toFixed(2)} s of audio, ${summary.sentences} chunk(s), ` +
              `RTF ${summary.rtf.toFixed(2)} on ${summary.provider?.toUpperCase() ?? 'CPU'}, first audio after ${summary.firstAudioSeconds.toFixed(2)} s\n`,
          );
      }, { bar, setExit, cancelledMessage: 'synthesis cancelled' });
    });
};

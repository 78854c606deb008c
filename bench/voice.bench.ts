/**
 * `npm run bench:voice`: intelligibility of the demo voices, measured offline, side by side.
 * Synthesizes the 20 sentences held out from their training (bench/voice.heldout.json) with the same service path
 * as `formant say` (Griffin-Lim) with every embedded demo voice (resources/voices/demo*: the duration model and
 * Tacotron-2) or the voices named with --voice (repeatable), transcribes them with pocketsphinx
 * (bench/voice_recognize.py) and prints the word error rate next to the same recognizer's WER on the real
 * LJSpeech recordings of those sentences (../shared/data/lj-train; skipped when absent) and the ratio.
 * It also scores the recordings after a round trip through the voice's own mel and Griffin-Lim (the vocoder ceiling:
 * the best a perfect acoustic model could reach with Griffin-Lim), which splits the gap into acoustic model and vocoder,
 * and, where the voice's training checkpoint is at hand (<voice>-training/tacotron2.pt, or --checkpoint), the
 * teacher-forced mels of the recordings (bench/voice.teacherForced.ts), which split the acoustic model's share again:
 * its frames given the right history vs what it says on its own.
 * Per voice it also prints what it cost: training steps and CPU/GPU hours (voice.json provenance.training), the
 * synthesis real-time factor (acoustic model alone and with Griffin-Lim) and the time to the first audio.
 *   npm run bench:voice [-- --voice <voice-dir> …] [--limit N] [--max-steps-per-symbol 3] [--no-retry] [--no-ceiling]
 *                        [--checkpoint tacotron2.pt] [--no-teacher-forced]
 * WAVs and a JSON report go to test-output/bench-voice/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWav, downmix, encodeWav } from '../shared/dsp/wav';
import { melSpectrogram } from '../shared/dsp/mel';
import type { VoiceManifest } from '../shared/contract/voice';
import { runSynthesis } from '../electron/services/synthesis/operations';
import { defaultVoiceDir } from '../electron/services/synthesis/voices';
import { griffinLimVocoder, voiceMelPreset } from '../electron/services/synthesis/vocoders';
import { corpusWer } from './voice.wer';
import { pythonHasTorch, teacherForcedWavs, trainingCheckpointFor, type TeacherForcedWavs } from './voice.teacherForced';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedData = path.resolve(root, '..', 'shared', 'data');

interface Heldout {
  sentences: { id: string; text: string; seconds: number }[];
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function args(name: string): string[] {
  return process.argv.flatMap((a, i) => (a === name && process.argv[i + 1] ? [process.argv[i + 1]] : []));
}

/** The voices to compare: --voice (repeatable), else the default voice and every other embedded demo* voice. */
async function voicesToBench(): Promise<string[]> {
  const named = args('--voice');
  if (named.length) return named.map((v) => path.resolve(v));
  const embedded = path.join(root, 'resources', 'voices');
  const demos = readdirSync(embedded)
    .filter((d) => d.startsWith('demo') && existsSync(path.join(embedded, d, 'voice.json')))
    .map((d) => path.join(embedded, d));
  const first = path.resolve(await defaultVoiceDir());
  return [first, ...demos.filter((d) => d !== first)];
}

interface VoiceJson {
  name: string;
  tacotron2?: unknown;
  fastpitch?: { parameters?: number | null } | null;
  provenance?: { steps?: number; training?: { steps: [number, number]; machine?: string; seconds?: number }[] };
}

/** Training cost from voice.json's history: steps, and hours per kind of machine where the chunks recorded them. */
function trainingCost(v: VoiceJson): string {
  const chunks = v.provenance?.training ?? [];
  const hours = new Map<string, number>();
  let unknown = 0;
  for (const c of chunks) {
    const kind = /cpu/i.test(c.machine ?? '') ? 'CPU' : c.machine ? 'GPU' : '?';
    if (typeof c.seconds === 'number') hours.set(kind, (hours.get(kind) ?? 0) + c.seconds / 3600);
    else unknown += c.steps[1] - c.steps[0];
  }
  const parts = [...hours].map(([k, h]) => `${h.toFixed(2)} ${k}-hours`);
  if (unknown) parts.push(`${unknown} steps of unrecorded time`);
  return `${v.provenance?.steps ?? '?'} steps${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

interface VoiceResult {
  dir: string;
  json: VoiceJson;
  model: string;
  wavs: string[];
  hyp: Record<string, string>;
  wer: ReturnType<typeof corpusWer>;
  audioSeconds: number;
  synthMs: number;
  acousticMs: number;
  firstAudioMs: number[];
  unfixed: number;
}

function python(): string | null {
  for (const py of [process.env.FORMANT_PYTHON, path.join(root, '.venv', 'bin', 'python'), '/usr/bin/python3']) {
    if (py && existsSync(py) && spawnSync(py, ['-c', 'import pocketsphinx'], { stdio: 'ignore' }).status === 0) return py;
  }
  return null;
}

function recognize(py: string, wavs: string[]): Record<string, string> {
  const r = spawnSync(py, [path.join(root, 'bench', 'voice_recognize.py')], { input: JSON.stringify(wavs), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`pocketsphinx failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
  return JSON.parse(r.stdout) as Record<string, string>;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

async function benchVoice(voiceDir: string, sentences: Heldout['sentences'], py: string, outDir: string, maxDecoderStepsPerSymbol: number): Promise<VoiceResult> {
  const json = JSON.parse(readFileSync(path.join(voiceDir, 'voice.json'), 'utf8')) as VoiceJson;
  const model = json.fastpitch ? 'duration model (FastPitch)' : 'Tacotron-2';
  console.log(`\n${json.name} — ${model} (${voiceDir}), ${trainingCost(json)}`);
  const wavs: string[] = [];
  const firstAudioMs: number[] = [];
  let audioSeconds = 0;
  let unfixed = 0;
  let acousticMs = 0;
  const t0 = performance.now();
  for (const s of sentences) {
    const r = await runSynthesis({ text: s.text, voiceDir, vocoder: 'griffin-lim', seed: 1, maxDecoderStepsPerSymbol, retry: !process.argv.includes('--no-retry') }, () => undefined);
    const wav = path.join(outDir, `${s.id}.${json.name}.synth.wav`);
    writeFileSync(wav, encodeWav(r.audio, r.sampleRate));
    wavs.push(wav);
    audioSeconds += r.timings.audioSeconds;
    firstAudioMs.push(r.timings.firstAudioMs);
    acousticMs += r.timings.acousticMs ?? 0;
    unfixed += r.sentences.filter((x) => !x.ok).length;
    process.stdout.write(`  synthesized ${s.id}: ${r.timings.audioSeconds.toFixed(2)} s (recording ${s.seconds.toFixed(2)} s)\n`);
  }
  const synthMs = performance.now() - t0;
  const hyp = recognize(py, wavs);
  const wer = corpusWer(sentences.map((s, i) => ({ ref: s.text, hyp: hyp[wavs[i]] ?? '' })));
  return { dir: voiceDir, json, model, wavs, hyp, wer, audioSeconds, synthMs, acousticMs, firstAudioMs, unfixed };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const py = python();
  if (!py) {
    console.log('bench:voice needs pocketsphinx: .venv/bin/pip install pocketsphinx (build/setup.sh), or set FORMANT_PYTHON');
    process.exitCode = 1;
    return;
  }
  const held = JSON.parse(readFileSync(path.join(root, 'bench', 'voice.heldout.json'), 'utf8')) as Heldout;
  const limit = Number(arg('--limit') ?? held.sentences.length);
  const sentences = held.sentences.slice(0, limit);
  // Read speech takes ~6 mel frames per character; a cap of 3 decoder steps per symbol (r frames each) is ≥ 2.5× that,
  // so a working voice is never cut, while a voice that never stops costs minutes less per run.
  const maxDecoderStepsPerSymbol = Number(arg('--max-steps-per-symbol') ?? 3);
  const voiceDirs = await voicesToBench();
  const outDir = path.join(root, 'test-output', 'bench-voice');
  mkdirSync(outDir, { recursive: true });
  if (process.argv.includes('--no-retry')) console.log('(--no-retry: sentences whose attention fails are not retried, unlike `formant say`)');
  console.log(`bench:voice — ${voiceDirs.length} voice(s), ${sentences.length} held-out sentences`);

  const results: VoiceResult[] = [];
  for (const dir of voiceDirs) results.push(await benchVoice(dir, sentences, py, outDir, maxDecoderStepsPerSymbol));

  const realDir = path.join(sharedData, 'lj-train', 'wavs');
  let real: ReturnType<typeof corpusWer> | null = null;
  let realHyp: Record<string, string> = {};
  let ceiling: ReturnType<typeof corpusWer> | null = null;
  let ceilingHyp: Record<string, string> = {};
  const ceilingWavs: string[] = [];
  let forced: (ReturnType<typeof corpusWer> & Omit<TeacherForcedWavs, 'wavs'> & { voice: string }) | null = null;
  let forcedHyp: Record<string, string> = {};
  let forcedWavs: string[] = [];
  if (existsSync(realDir)) {
    const realWavs = sentences.map((s) => path.join(realDir, `${s.id}.wav`));
    realHyp = recognize(py, realWavs);
    real = corpusWer(sentences.map((s, i) => ({ ref: s.text, hyp: realHyp[realWavs[i]] ?? '' })));
    // the demo voices share one mel preset: the vocoder ceiling is measured with the first voice's
    const preset = voiceMelPreset(JSON.parse(readFileSync(path.join(voiceDirs[0], 'voice.json'), 'utf8')) as VoiceManifest);
    if (!process.argv.includes('--no-ceiling')) {
      // recording → the voice's mel → Griffin-Lim (same iterations and seed as the synthesized side)
      const gl = griffinLimVocoder(preset);
      for (const [i, w] of realWavs.entries()) {
        const d = decodeWav(new Uint8Array(readFileSync(w)));
        if (d.sampleRate !== preset.sampleRate) throw new Error(`${w}: ${d.sampleRate} Hz, the voice's mel preset needs ${preset.sampleRate} Hz`);
        const audio = await gl(melSpectrogram(downmix(d.channels), preset), { seed: 1 });
        const out = path.join(outDir, `${sentences[i].id}.gl-ceiling.wav`);
        writeFileSync(out, encodeWav(audio, preset.sampleRate));
        ceilingWavs.push(out);
      }
      ceilingHyp = recognize(py, ceilingWavs);
      ceiling = corpusWer(sentences.map((s, i) => ({ ref: s.text, hyp: ceilingHyp[ceilingWavs[i]] ?? '' })));
    }
    // teacher-forced: Tacotron-2's frames given the recording's own history (a duration model has no history to force)
    const taco = results.find((r) => r.json.tacotron2);
    const checkpoint = arg('--checkpoint') ?? (taco ? trainingCheckpointFor(taco.dir) : null);
    if (process.argv.includes('--no-teacher-forced') || !taco) {
      // asked not to, or no Tacotron-2 voice in the comparison
    } else if (!checkpoint) {
      console.log(`teacher-forced: skipped (no ${taco.dir}-training/tacotron2.pt; pass --checkpoint)`);
    } else if (!pythonHasTorch(py)) {
      console.log(`teacher-forced: skipped (${py} has no torch: build/setup.sh makes .venv with the trainer's requirements)`);
    } else {
      const tf = await teacherForcedWavs({ py, trainerDir: path.join(root, 'resources', 'trainer'), checkpoint, sentences, realDir, preset, outDir });
      forcedWavs = tf.wavs;
      forcedHyp = recognize(py, forcedWavs);
      forced = { ...corpusWer(sentences.map((s, i) => ({ ref: s.text, hyp: forcedHyp[forcedWavs[i]] ?? '' }))), step: tf.step, mse: tf.mse, voice: taco.json.name };
    }
  }

  console.log('');
  for (const [i, s] of sentences.entries()) {
    const pad = ' '.repeat(s.id.length);
    console.log(`${s.id}  ref:   ${s.text}`);
    for (const r of results) console.log(`${pad}  ${r.json.name}: ${r.hyp[r.wavs[i]] ?? ''}`);
    if (real) console.log(`${pad}  real:  ${realHyp[path.join(realDir, `${s.id}.wav`)] ?? ''}`);
    if (ceiling) console.log(`${pad}  GL:    ${ceilingHyp[ceilingWavs[i]] ?? ''}`);
    if (forced) console.log(`${pad}  TF:    ${forcedHyp[forcedWavs[i]] ?? ''}`);
  }
  console.log('');
  if (real) console.log(`recordings:  WER ${pct(real.wer)} (${real.edits}/${real.words} words)`);
  else console.log(`recordings:  skipped (${realDir} not found)`);
  if (ceiling) console.log(`vocoder ceiling: recordings → mel → Griffin-Lim: WER ${pct(ceiling.wer)} (${ceiling.edits}/${ceiling.words} words)`);
  for (const r of results) {
    const ratio = real && real.wer > 0 ? r.wer.wer / real.wer : null;
    const rtf = r.synthMs / 1000 / Math.max(r.audioSeconds, 1e-9);
    const acousticRtf = r.acousticMs > 0 ? ` (acoustic model alone ${(r.acousticMs / 1000 / Math.max(r.audioSeconds, 1e-9)).toFixed(3)})` : '';
    console.log(`${r.json.name} — ${r.model}: WER ${pct(r.wer.wer)} (${r.wer.edits}/${r.wer.words} words)` +
      (ratio !== null ? `, ${ratio.toFixed(2)}× the recordings (aim ≤ 1.5×, must ≤ 2×)` : '') +
      `; RTF ${rtf.toFixed(3)} with Griffin-Lim${acousticRtf}; first audio median ${median(r.firstAudioMs).toFixed(0)} ms; ${trainingCost(r.json)}` +
      (r.json.tacotron2 ? `; ${r.unfixed} sentence(s) with unfixed attention problems` : ''));
  }
  if (forced && real) {
    const steps = results.find((r) => r.json.name === forced!.voice)?.json.provenance?.steps;
    const stepNote = forced.step === steps ? '' : ` (the voice is step ${steps ?? '?'}: not the same weights)`;
    console.log(`teacher-forced (${forced.voice}): the checkpoint (step ${forced.step}${stepNote}) given the recordings' own previous frames → Griffin-Lim: WER ${pct(forced.wer)} (${forced.edits}/${forced.words} words), mel MSE ${forced.mse.toFixed(3)}; teacher-forced / recordings ${(real.wer > 0 ? forced.wer / real.wer : Infinity).toFixed(2)}×`);
  }
  writeFileSync(
    path.join(outDir, 'report.json'),
    JSON.stringify({
      date: new Date().toISOString(), recordings: real, griffinLimCeiling: ceiling, teacherForced: forced,
      voices: results.map((r) => ({ voice: r.dir, name: r.json.name, model: r.model, steps: r.json.provenance?.steps ?? null, synthesized: r.wer,
        ratio: real && real.wer > 0 ? r.wer.wer / real.wer : null, rtf: r.synthMs / 1000 / Math.max(r.audioSeconds, 1e-9),
        acousticMs: r.acousticMs || null, firstAudioMs: r.firstAudioMs, training: r.json.provenance?.training ?? null })),
      hypotheses: sentences.map((s, i) => ({ id: s.id, ref: s.text, ...Object.fromEntries(results.map((r) => [r.json.name, r.hyp[r.wavs[i]] ?? ''])),
        real: real ? realHyp[path.join(realDir, `${s.id}.wav`)] ?? '' : null, griffinLim: ceiling ? ceilingHyp[ceilingWavs[i]] ?? '' : null,
        teacherForced: forced ? forcedHyp[forcedWavs[i]] ?? '' : null })),
    }, null, 2) + '\n',
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});

/**
 * `npm run bench:voice`: intelligibility of the demo voice, measured offline.
 * Synthesizes the 20 sentences held out from its training (bench/voice.heldout.json) with the same service path
 * as `formant say` (default voice = resources/voices/demo, Griffin-Lim), transcribes them with pocketsphinx
 * (bench/voice_recognize.py) and prints the word error rate next to the same recognizer's WER on the real
 * LJSpeech recordings of those sentences (../shared/data/lj-train; skipped when absent) and the ratio.
 * It also scores the recordings after a round trip through the voice's own mel and Griffin-Lim (the vocoder ceiling:
 * the best a perfect acoustic model could reach with Griffin-Lim), which splits the gap into acoustic model and vocoder,
 * and, where the voice's training checkpoint is at hand (<voice>-training/tacotron2.pt, or --checkpoint), the
 * teacher-forced mels of the recordings (bench/voice.teacherForced.ts), which split the acoustic model's share again:
 * its frames given the right history vs what it says on its own.
 *   npm run bench:voice [-- --voice <voice-dir>] [--limit N] [--max-steps-per-symbol 3] [--no-retry] [--no-ceiling]
 *                        [--checkpoint tacotron2.pt] [--no-teacher-forced]
 * WAVs and a JSON report go to test-output/bench-voice/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  const voiceDir = path.resolve(arg('--voice') ?? (await defaultVoiceDir()));
  const voice = JSON.parse(readFileSync(path.join(voiceDir, 'voice.json'), 'utf8')) as { name: string; provenance?: { steps?: number } };
  const outDir = path.join(root, 'test-output', 'bench-voice');
  mkdirSync(outDir, { recursive: true });
  if (process.argv.includes('--no-retry')) console.log('(--no-retry: sentences whose attention fails are not retried, unlike `formant say`)');
  console.log(`bench:voice — ${voice.name} (${voiceDir}, ${voice.provenance?.steps ?? '?'} training steps), ${sentences.length} held-out sentences`);

  const synthWavs: string[] = [];
  let audioSeconds = 0;
  let unfixed = 0;
  const t0 = performance.now();
  for (const s of sentences) {
    const r = await runSynthesis({ text: s.text, voiceDir, vocoder: 'griffin-lim', seed: 1, maxDecoderStepsPerSymbol, retry: !process.argv.includes('--no-retry') }, () => undefined);
    const wav = path.join(outDir, `${s.id}.synth.wav`);
    writeFileSync(wav, encodeWav(r.audio, r.sampleRate));
    synthWavs.push(wav);
    audioSeconds += r.timings.audioSeconds;
    unfixed += r.sentences.filter((x) => !x.ok).length;
    process.stdout.write(`  synthesized ${s.id}: ${r.timings.audioSeconds.toFixed(2)} s (recording ${s.seconds.toFixed(2)} s)\n`);
  }
  const synthMs = performance.now() - t0;
  const synthHyp = recognize(py, synthWavs);
  const synth = corpusWer(sentences.map((s, i) => ({ ref: s.text, hyp: synthHyp[synthWavs[i]] ?? '' })));

  const realDir = path.join(sharedData, 'lj-train', 'wavs');
  let real: ReturnType<typeof corpusWer> | null = null;
  let realHyp: Record<string, string> = {};
  let ceiling: ReturnType<typeof corpusWer> | null = null;
  let ceilingHyp: Record<string, string> = {};
  const ceilingWavs: string[] = [];
  let forced: (ReturnType<typeof corpusWer> & Omit<TeacherForcedWavs, 'wavs'>) | null = null;
  let forcedHyp: Record<string, string> = {};
  let forcedWavs: string[] = [];
  if (existsSync(realDir)) {
    const realWavs = sentences.map((s) => path.join(realDir, `${s.id}.wav`));
    realHyp = recognize(py, realWavs);
    real = corpusWer(sentences.map((s, i) => ({ ref: s.text, hyp: realHyp[realWavs[i]] ?? '' })));
    if (!process.argv.includes('--no-ceiling')) {
      // recording → the voice's mel → Griffin-Lim (same iterations and seed as the synthesized side)
      const preset = voiceMelPreset(JSON.parse(readFileSync(path.join(voiceDir, 'voice.json'), 'utf8')) as VoiceManifest);
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
    const checkpoint = arg('--checkpoint') ?? trainingCheckpointFor(voiceDir);
    if (process.argv.includes('--no-teacher-forced')) {
      // asked not to
    } else if (!checkpoint) {
      console.log(`teacher-forced: skipped (no ${voiceDir}-training/tacotron2.pt; pass --checkpoint)`);
    } else if (!pythonHasTorch(py)) {
      console.log(`teacher-forced: skipped (${py} has no torch: build/setup.sh makes .venv with the trainer's requirements)`);
    } else {
      const preset = voiceMelPreset(JSON.parse(readFileSync(path.join(voiceDir, 'voice.json'), 'utf8')) as VoiceManifest);
      const tf = await teacherForcedWavs({ py, trainerDir: path.join(root, 'resources', 'trainer'), checkpoint, sentences, realDir, preset, outDir });
      forcedWavs = tf.wavs;
      forcedHyp = recognize(py, forcedWavs);
      forced = { ...corpusWer(sentences.map((s, i) => ({ ref: s.text, hyp: forcedHyp[forcedWavs[i]] ?? '' }))), step: tf.step, mse: tf.mse };
    }
  }

  console.log('');
  for (const [i, s] of sentences.entries()) {
    console.log(`${s.id}  ref:   ${s.text}`);
    console.log(`${' '.repeat(s.id.length)}  synth: ${synthHyp[synthWavs[i]] ?? ''}`);
    if (real) console.log(`${' '.repeat(s.id.length)}  real:  ${realHyp[path.join(realDir, `${s.id}.wav`)] ?? ''}`);
    if (ceiling) console.log(`${' '.repeat(s.id.length)}  GL:    ${ceilingHyp[ceilingWavs[i]] ?? ''}`);
    if (forced) console.log(`${' '.repeat(s.id.length)}  TF:    ${forcedHyp[forcedWavs[i]] ?? ''}`);
  }
  console.log('');
  console.log(`synthesized: WER ${pct(synth.wer)} (${synth.edits}/${synth.words} words), ${audioSeconds.toFixed(1)} s of audio in ${(synthMs / 1000).toFixed(1)} s, ${unfixed} sentence(s) with unfixed attention problems`);
  if (real) {
    const ratio = real.wer > 0 ? synth.wer / real.wer : Infinity;
    console.log(`recordings:  WER ${pct(real.wer)} (${real.edits}/${real.words} words)`);
    console.log(`ratio synthesized / recordings: ${ratio.toFixed(2)}× (aim: ≤ 2×)`);
    if (ceiling) console.log(`vocoder ceiling: recordings → mel → Griffin-Lim: WER ${pct(ceiling.wer)} (${ceiling.edits}/${ceiling.words} words); synthesized / ceiling ${(ceiling.wer > 0 ? synth.wer / ceiling.wer : Infinity).toFixed(2)}×`);
    if (forced) {
      const stepNote = forced.step === voice.provenance?.steps ? '' : ` (the voice is step ${voice.provenance?.steps ?? '?'}: not the same weights)`;
      console.log(`teacher-forced: the checkpoint (step ${forced.step}${stepNote}) given the recordings' own previous frames → Griffin-Lim: WER ${pct(forced.wer)} (${forced.edits}/${forced.words} words), mel MSE ${forced.mse.toFixed(3)}; teacher-forced / recordings ${(real.wer > 0 ? forced.wer / real.wer : Infinity).toFixed(2)}×`);
    }
  } else {
    console.log(`recordings:  skipped (${realDir} not found)`);
  }
  writeFileSync(
    path.join(outDir, 'report.json'),
    JSON.stringify({ voice: voiceDir, steps: voice.provenance?.steps ?? null, date: new Date().toISOString(), synthesized: synth, recordings: real,
      ratio: real && real.wer > 0 ? synth.wer / real.wer : null, griffinLimCeiling: ceiling, teacherForced: forced, hypotheses: sentences.map((s, i) => ({ id: s.id, ref: s.text, synth: synthHyp[synthWavs[i]] ?? '', real: real ? realHyp[path.join(realDir, `${s.id}.wav`)] ?? '' : null, griffinLim: ceiling ? ceilingHyp[ceilingWavs[i]] ?? '' : null, teacherForced: forced ? forcedHyp[forcedWavs[i]] ?? '' : null })) }, null, 2) + '\n',
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});

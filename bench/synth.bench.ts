/**
 * `npm run bench:synth`: speed of text-to-speech on this machine.
 *  1. ONNX (onnxruntime-node) vs PyTorch eager on CPU, same Tacotron-2 checkpoint (full seed-size model,
 *     untrained and seeded, made by bench/synth_torch.py with the trainer package), same chunks, same number
 *     of decoder steps (gate disabled, ~6 steps per symbol as in real speech): acoustic model time and ratio.
 *  2. Real-time factor end to end (acoustic + vocoder) for Griffin-Lim and for WaveGlow.
 *  3. Time to first audio for a 10-sentence paragraph: the demo voice (resources/voices/demo) when one
 *     is installed, else the full-size benchmark voice; warm (graphs loaded, as the app keeps them) and cold;
 *     and for one sentence on the demo voice as the view and `formant say` run it, after the voice's load.
 *  4. The duration model (fastpitch.onnx, the trainer's tiny untrained bundle): acoustic-model RTF on the same
 *     paragraph (one graph run per chunk), against the target of ≤ 0.02 on CPU.
 *  5. WaveGlow on a CPU: the ONNX graph (fp32 and fp16 weights) against PyTorch eager on the same weights, same mel
 *     and noise: time, ratio (target ≥ 1.5×) and output difference; then windowed rendering (how the app renders long
 *     mels, with progress and cancel) against one run. NVIDIA's waveglow_256channels_universal_v5.pt when
 *     FORMANT_WAVEGLOW names it, else NVIDIA's 88 M-parameter configuration randomly initialized (the output says so).
 *     FORMANT_BENCH_WG_FRAMES sets the mel length (default 48 frames ≈ 0.56 s). `npm run bench:synth -- --only waveglow`
 *     runs this section alone.
 * Untrained weights cost exactly what trained ones do: speed depends on shapes and step counts, not values.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AcousticModel } from '../electron/services/synthesis/acousticModel';
import { createAcousticModel } from '../electron/services/synthesis/createEngine';
import { Tacotron2Engine } from '../electron/services/synthesis/engine';
import { FastPitchEngine } from '../electron/services/synthesis/fastPitchEngine';
import { planAndEncodeText } from '../electron/services/synthesis/textFrontend';
import { synthesizeText } from '../electron/services/synthesis/synthesize';
import { engineFor, runSynthesis } from '../electron/services/synthesis/operations';
import { makeVocoder } from '../electron/services/synthesis/vocoders';
import { loadVoiceBundle } from '../electron/services/synthesis/voiceBundle';
import { tinyVoice, trainerPython } from '../electron/services/synthesis/testing/tinyVoice';
import { benchWaveGlow } from './synthWaveGlow';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PARAGRAPH =
  'The boy was there when the sun rose. A rod is used to catch pink salmon. The source of the huge river is the clear spring. ' +
  'Kick the ball straight and follow through. Help the woman get back to her feet. A pot of tea helps to pass the evening. ' +
  'Smoky fires lack flame and heat. The soft cushion broke the man’s fall. The salt breeze came across from the sea. ' +
  'The girl at the booth sold fifty bonds.';
/** One-sentence requests: a short one (one piece) and a long one (its first second played while the rest is vocoded). */
const ONE_SENTENCE = ['The boy was there when the sun rose.', 'Printing, in the only sense with which we are at present concerned, differs from most if not from all the arts and crafts.'];
const STEPS_PER_SYMBOL = 6; // ≈ 86 frames/s ÷ 14 characters/s of read English at r = 1
const NEVER_STOP = 0.9999999;

const fmt = (x: number, d = 2) => x.toFixed(d);

async function main(): Promise<void> {
  const py = trainerPython();
  if (!py) {
    console.log('bench:synth needs the trainer Python (torch + onnx): run build/setup.sh first');
    process.exitCode = 1;
    return;
  }
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only === 'waveglow') return benchWaveGlow(py, root, '5.');
  const fullDir = path.join(os.tmpdir(), 'formant-bench-synth-default');
  if (!existsSync(path.join(fullDir, 'voice.json')) || !existsSync(path.join(fullDir, 't2.pt'))) {
    console.log(`making the benchmark voice (full-size Tacotron-2, untrained) in ${fullDir} …`);
    mkdirSync(fullDir, { recursive: true });
    const r = spawnSync(py, [path.join(root, 'bench', 'synth_torch.py'), 'make', fullDir, '--config', 'default'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`synth_torch.py make failed: ${r.stderr.slice(-2000)}`);
  }
  const full = new Tacotron2Engine(await loadVoiceBundle(fullDir));
  const t = full.tacotron2;
  console.log(`voice: ${full.manifest.name} (encoder ${t.encoderEmbeddingDim}, attention RNN ${t.attentionRnnDim}, decoder RNN ${t.decoderRnnDim}, r=${t.reductionFactor})`);
  let tLoad = performance.now();
  await full.warmUp();
  tLoad = performance.now() - tLoad;
  console.log(`graphs loaded in ${fmt(tLoad / 1000)} s — ${[...full.providerNotes].join('; ')}`);

  // ---- 1. ONNX vs PyTorch eager, acoustic model only, identical work ----
  const chunks = await planAndEncodeText(PARAGRAPH, full.manifest);
  const idsFile = path.join(os.tmpdir(), `formant-bench-ids-${process.pid}.json`);
  await fs.writeFile(idsFile, JSON.stringify(chunks.map((c) => c.ids)));
  await full.decode(chunks[0].ids, { seed: 1, stopThreshold: NEVER_STOP, maxDecoderStepsPerSymbol: STEPS_PER_SYMBOL }); // warm-up
  let onnxBest = Infinity;
  let frames = 0;
  for (let rep = 0; rep < 2; rep++) {
    const t0 = performance.now();
    frames = 0;
    for (const c of chunks) frames += (await full.decode(c.ids, { seed: 1, stopThreshold: NEVER_STOP, maxDecoderStepsPerSymbol: STEPS_PER_SYMBOL })).mel.frames;
    onnxBest = Math.min(onnxBest, (performance.now() - t0) / 1000);
  }
  const r = spawnSync(py, [path.join(root, 'bench', 'synth_torch.py'), 'time', fullDir, '--ids', idsFile, '--steps-per-symbol', String(STEPS_PER_SYMBOL), '--repeat', '2'], {
    cwd: root,
    encoding: 'utf8',
  });
  await fs.rm(idsFile, { force: true });
  if (r.status !== 0) throw new Error(`synth_torch.py time failed: ${r.stderr.slice(-2000)}`);
  const torch = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; frames: number; torch: string; threads: number };
  const hop = Number(full.manifest.melPreset.hopLength);
  const audioSeconds = (frames * hop) / full.manifest.sampleRate;
  console.log(`\n1. acoustic model (encoder + ${frames} decoder frames + post-net, ${chunks.length} chunks, ${fmt(audioSeconds, 1)} s of speech):`);
  console.log(`   ONNX Runtime (node, CPU):  ${fmt(onnxBest)} s  (RTF ${fmt(onnxBest / audioSeconds, 3)})`);
  console.log(`   PyTorch ${torch.torch} eager (CPU, ${torch.threads} threads): ${fmt(torch.seconds)} s  (RTF ${fmt(torch.seconds / audioSeconds, 3)}), ${torch.frames} frames`);
  const ratio = torch.seconds / onnxBest;
  console.log(`   ratio PyTorch / ONNX: ${fmt(ratio)}×  (target ≥ 1.5×: ${ratio >= 1.5 ? 'met' : 'NOT met'})`);
  if (torch.frames !== frames) console.log(`   warning: frame counts differ (${torch.frames} vs ${frames})`);

  // ---- 2. RTF end to end per vocoder (WaveGlow from the tiny bundle: same nvidia preset) ----
  const tv = tinyVoice();
  const wgSource = tv.dir ? new Tacotron2Engine(await loadVoiceBundle(tv.dir)) : null;
  console.log('\n2. real-time factor, text → audio (acoustic ~6 steps/symbol + vocoder), 10-sentence paragraph:');
  for (const name of ['griffin-lim', 'waveglow'] as const) {
    if (name === 'waveglow' && !wgSource?.manifest.waveglow) {
      console.log('   WaveGlow: skipped (no WaveGlow graph available)');
      continue;
    }
    const vocoder = makeVocoder(full, { name, waveglowFrom: wgSource ?? undefined });
    let vocoderMs = 0;
    const timed: typeof vocoder = async (mel, ctx) => {
      const t0 = performance.now();
      const a = await vocoder(mel, ctx);
      vocoderMs += performance.now() - t0;
      return a;
    };
    const res = await synthesizeText(full, timed, PARAGRAPH, { seed: 1, stopThreshold: NEVER_STOP, maxDecoderStepsPerSymbol: STEPS_PER_SYMBOL, retry: false });
    const label = name === 'waveglow' ? `WaveGlow (${wgSource!.manifest.name} bundle's graph)` : 'Griffin-Lim (60 iterations, TS)';
    console.log(
      `   ${label}: RTF ${fmt(res.timings.rtf, 3)} (${fmt(res.timings.totalMs / 1000)} s for ${fmt(res.timings.audioSeconds, 1)} s); vocoder alone RTF ${fmt(vocoderMs / 1000 / res.timings.audioSeconds, 3)}`,
    );
  }

  // ---- 3. time to first audio ----
  const demoDir = path.join(root, 'resources', 'voices', 'demo');
  const hasDemo = existsSync(path.join(demoDir, 'voice.json'));
  console.log(`\n3. time to first audio, 10-sentence paragraph, ${hasDemo ? 'demo voice' : 'no demo voice installed → full-size benchmark voice at ~6 steps/symbol'}:`);
  const ttfa = async (engine: AcousticModel, opts: object) => {
    const res = await synthesizeText(engine, makeVocoder(engine, { name: 'griffin-lim' }), PARAGRAPH, { seed: 1, ...opts });
    return res.timings.firstAudioMs / 1000;
  };
  const settings = hasDemo ? {} : { stopThreshold: NEVER_STOP, maxDecoderStepsPerSymbol: STEPS_PER_SYMBOL, retry: false };
  // Graphs load lazily inside the first decode, so the cold figure includes loading them.
  const cold = createAcousticModel(await loadVoiceBundle(hasDemo ? demoDir : fullDir));
  const coldFirst = await ttfa(cold, settings);
  const warm = await ttfa(cold, settings);
  console.log(`   warm (graphs loaded, as the app keeps them): ${fmt(warm)} s  (target < 1 s: ${warm < 1 ? 'met' : 'NOT met'})`);
  console.log(`   cold (first synthesis of the process, graphs loaded on demand): ${fmt(coldFirst)} s`);
  if (hasDemo) {
    // One sentence, as the Synthesize view and `formant say` run it (operations.ts: the voice's load warms its
    // graphs and Griffin-Lim; a first sentence over 2 s plays its first second while the rest is vocoded,
    // which the view gets as a partial progress item of the synthesis job).
    const c0 = process.cpuUsage();
    const t = performance.now();
    const demo = await engineFor(demoDir);
    await demo.warmUp(); // as the worker's warm op does when the view picks a voice
    await planAndEncodeText('Hello.', demo.manifest); // …with the phoneme voice's first espeak-ng run
    const loadS = (performance.now() - t) / 1000;
    for (const sentence of ONE_SENTENCE) {
      const runs: number[] = [];
      for (let rep = 0; rep < 3; rep++) {
        const r = await runSynthesis({ text: sentence, voiceDir: demoDir, seed: 1 }, () => undefined);
        runs.push(r.timings.firstAudioMs / 1000);
      }
      const best = Math.min(...runs);
      console.log(
        `   one sentence (${sentence.length} characters), demo voice loaded (${fmt(loadS)} s): first audio ${runs.map((x) => fmt(x)).join(', ')} s` +
          ` (target < 0.5 s after the voice is loaded: ${best < 0.5 ? 'met' : 'NOT met'} at best)`,
      );
    }
    const d = process.cpuUsage(c0);
    console.log(`   (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs; CPU time of these runs ${fmt((d.user + d.system) / 1e6)} s)`);
  }
  await Promise.all([full.dispose(), cold.dispose(), wgSource?.dispose()]);

  // ---- 4. duration model: acoustic RTF ----
  const fpVoice = tinyVoice({ model: 'fastpitch' });
  if (!fpVoice.dir) {
    console.log(`\n4. duration model: skipped (${fpVoice.skip})`);
    return;
  }
  const fp = new FastPitchEngine(await loadVoiceBundle(fpVoice.dir));
  const fpChunks = await planAndEncodeText(PARAGRAPH, fp.manifest);
  await fp.decode(fpChunks[0].ids); // loads the graph
  let fpBest = Infinity;
  let fpFrames = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    fpFrames = 0;
    for (const c of fpChunks) fpFrames += (await fp.decode(c.ids)).mel.frames;
    fpBest = Math.min(fpBest, (performance.now() - t0) / 1000);
  }
  const fpSeconds = (fpFrames * Number(fp.manifest.melPreset.hopLength)) / fp.manifest.sampleRate;
  const fpRtf = fpBest / fpSeconds;
  console.log(`\n4. duration model (${fp.manifest.name}, ${fp.manifest.fastpitch?.parameters ?? '?'} parameters, untrained), ${fpChunks.length} chunks, ${fmt(fpSeconds, 1)} s of speech:`);
  console.log(`   ONNX Runtime (node, CPU): ${fmt(fpBest, 3)} s, acoustic RTF ${fmt(fpRtf, 4)} (target ≤ 0.02: ${fpRtf <= 0.02 ? 'met' : 'NOT met'}; the tiny graph, not a trained voice's size)`);
  await fp.dispose();
  console.log('');
  await benchWaveGlow(py, root, '5.');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

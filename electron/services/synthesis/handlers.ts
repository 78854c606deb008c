import type { Api } from '../../../shared/contract/index';
import type { Handlers } from '../../../shared/contract/rpc';
import { ServiceError } from '../../../shared/contract/rpc';
import type { SentenceItem } from '../../../shared/contract/synthesis';
import { decodeWav, encodeWav } from '../../../shared/dsp/wav';
import { englishCleaners } from '../../../shared/text/index';
import { writeFileAtomic } from '../atomicWrite';
import { startJob } from '../jobs';
import { loadManifest } from '../projectStore';
import { resolveUserPath } from '../shell/projectPaths';
import type { SentenceReport } from './synthesize';
import { comfortableChars } from './textFrontend';
import { acousticModelOf } from '../../../shared/contract/voice';
import { defaultVoiceDir, embeddedVoicesDir, listVoices, userVoicesDir } from './voices';
import { synthesisWorker } from './workerClient';

/**
 * The synthesis API. Inference runs in the synthesis worker thread (workerClient.ts); this
 * side only validates paths, turns sentences into job progress items and encodes WAVs.
 */
export function toBase64Wav(samples: Float32Array, sampleRate: number): string {
  return Buffer.from(encodeWav(samples, sampleRate)).toString('base64');
}

export function sentenceItem(r: SentenceReport): Omit<SentenceItem, 'wavBase64'> {
  return {
    index: r.index,
    count: r.count,
    text: r.text,
    start: r.start,
    end: r.end,
    sentence: r.sentence,
    pauseSeconds: r.pauseSeconds,
    seconds: r.seconds,
    ok: r.ok,
    issues: r.issues,
    notes: r.notes,
    attempts: r.attempts.length,
    metrics: r.health,
    cleaned: r.cleaned,
  };
}

/** Rounds a plot matrix so it crosses the boundary compactly (4 significant decimals are plenty for a plot). */
function matrix(rows: number, cols: number, data: Float32Array) {
  return { rows, cols, data: Array.from(data, (v) => Math.round(v * 1e4) / 1e4) };
}

/** VoiceInfo's acoustic model and, for a duration voice, the range of its pace and pitch controls. */
function voiceModelInfo(m: Parameters<typeof acousticModelOf>[0] | undefined): { acousticModel?: 'tacotron2' | 'fastpitch'; controls?: { maxPace: number; maxPitchShift: number } | null } {
  if (!m) return {};
  const model = acousticModelOf(m);
  return { acousticModel: model.kind, controls: model.kind === 'fastpitch' ? { maxPace: model.fastpitch.maxPace, maxPitchShift: model.fastpitch.maxPitchShift } : null };
}

const optionalPath = (p: string | undefined) => (p ? resolveUserPath(p) : undefined);

/** Loose match of a typed sentence against clip transcripts (case, punctuation, numbers spelled out). */
function comparable(text: string): string {
  return englishCleaners(text).replace(/[^a-z0-9 ]/g, '').replace(/\s+/g, ' ').trim();
}

export const synthesisHandlers: Partial<Handlers<Api>> = {
  'synthesis.voices': async ({ projectDir }) => {
    const voices = await listVoices({ projectDir: optionalPath(projectDir) });
    const def = await defaultVoiceDir().catch(() => null);
    // The view lists voices when it opens: start the worker and load the default voice meanwhile.
    if (def) void synthesisWorker().warm(def).catch(() => undefined);
    return {
      voices: voices.map((v) => ({
        dir: v.dir,
        name: v.name,
        source: v.source,
        sampleRate: v.bundle?.manifest.sampleRate ?? null,
        melPreset: v.bundle ? String(v.bundle.manifest.melPreset.name) : null,
        hasWaveglow: Boolean(v.bundle?.manifest.waveglow),
        comfortableChars: v.bundle ? comfortableChars(v.bundle.manifest) : null,
        provenance: v.bundle ? { dataset: v.bundle.manifest.provenance.dataset, steps: v.bundle.manifest.provenance.steps, date: v.bundle.manifest.provenance.date } : null,
        phonemizer: v.bundle?.manifest.text.phonemizer?.voice ?? null,
        ...voiceModelInfo(v.bundle?.manifest),
        isDefault: v.dir === def,
        error: v.error,
      })),
      userVoicesDir: userVoicesDir(),
      embeddedVoicesDir: embeddedVoicesDir(),
    };
  },

  'synthesis.synthesize': async (input, ctx) => {
    if (!input.text.trim()) throw new ServiceError('empty-text', 'nothing to synthesize: the text is empty');
    const outPath = optionalPath(input.outPath);
    const args = { ...input, voiceDir: optionalPath(input.voiceDir), waveglowFromDir: optionalPath(input.waveglowFromDir) };
    const { jobId } = startJob('synthesis', ctx.emit, async (job) => {
      let sampleRate = 22050;
      // The bar never moves back (a first chunk's early audio arrives after some of its windows were reported).
      let shown = 0;
      const forward = (v: number) => (shown = Math.max(shown, v));
      const result = await synthesisWorker().synthesize(
        args,
        ({ report, stream, partial }) => {
          // early audio of an unfinished chunk goes only to a caller that streams (the view plays it)
          if (partial && !input.stream) return;
          const item: SentenceItem = { ...sentenceItem(report), ...(input.stream ? { wavBase64: toBase64Wav(stream, sampleRate) } : {}), ...(partial ? { partial } : {}) };
          job.progress(forward((report.index + (partial ? 0 : 1)) / report.count), `sentence ${report.index + 1}/${report.count}`, item);
        },
        job.signal,
        // WaveGlow renders a long chunk in windows: the bar moves within the chunk.
        ({ chunk, chunks, done, total }) => {
          if (total > 0 && chunks > 0) job.progress(forward((chunk + done / total) / chunks), `sentence ${chunk + 1}/${chunks} · vocoding ${Math.round((100 * done) / total)}%`);
        },
      );
      sampleRate = result.sampleRate;
      const wav = encodeWav(result.audio, result.sampleRate);
      if (outPath) await writeFileAtomic(outPath, wav);
      return {
        outPath: outPath ?? null,
        wavBase64: outPath ? null : Buffer.from(wav).toString('base64'),
        sampleRate: result.sampleRate,
        durationSeconds: result.audio.length / result.sampleRate,
        sentences: result.sentences.map(sentenceItem),
        notes: result.notes,
        provider: result.provider,
        timings: result.timings,
      };
    });
    return { jobId };
  },

  'synthesis.audition': async (input) => {
    const r = await synthesisWorker().audition({ ...input, voiceDir: optionalPath(input.voiceDir), waveglowFromDir: optionalPath(input.waveglowFromDir) });
    let recording = null;
    if (input.projectDir) {
      const dir = resolveUserPath(input.projectDir);
      const m = await loadManifest(dir);
      const want = comparable(input.text);
      const clip = m.clips.find((c) => c.text && c.status !== 'rejected' && comparable(c.text) === want);
      if (clip) recording = { projectDir: dir, clipId: clip.id, path: clip.wav, transcript: clip.text ?? '' };
    }
    return {
      voice: r.voice,
      sampleRate: r.sampleRate,
      cleaned: r.cleaned,
      mel: matrix(r.mel.nMels, r.mel.frames, r.mel.data),
      alignment: matrix(r.alignment.steps, r.alignment.symbols, r.alignment.data),
      gate: Array.from(r.gate),
      griffinLim: { wavBase64: toBase64Wav(r.griffinLim.audio, r.sampleRate), seconds: r.griffinLim.audio.length / r.sampleRate, ms: r.griffinLim.ms },
      waveglow: r.waveglow ? { wavBase64: toBase64Wav(r.waveglow.audio, r.sampleRate), seconds: r.waveglow.audio.length / r.sampleRate, ms: r.waveglow.ms } : null,
      waveglowNote: r.waveglowNote,
      ok: r.health?.ok ?? true,
      issues: r.health?.issues ?? [],
      metrics: r.health?.metrics ?? null,
      attempts: r.attempts,
      notes: r.notes,
      model: r.model,
      recording,
    };
  },

  'synthesis.saveWav': async ({ wavBase64, outPath }) => {
    const bytes = new Uint8Array(Buffer.from(wavBase64, 'base64'));
    decodeWav(bytes); // refuses anything that is not a readable WAV, with the reason
    const target = resolveUserPath(outPath);
    await writeFileAtomic(target, bytes);
    return { outPath: target, bytes: bytes.length };
  },
};

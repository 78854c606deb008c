/**
 * bench:voice's teacher-forced leg: the voice's training checkpoint predicts the held-out recordings' mels given
 * their own previous frames (`python -m formant_trainer gta`), and those mels go through the same Griffin-Lim as the
 * synthesized side. Its WER is what the acoustic model's frames are worth with attention and exposure bias taken out:
 * teacher-forced ≈ synthesized means the frames themselves are the problem (model size, data), teacher-forced ≈
 * recordings means the free-running decoder is (attention, its own earlier frames).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav } from '../shared/dsp/wav';
import { readNpy } from '../shared/dsp/npy';
import type { MelPreset } from '../shared/dsp/melPresets';
import { writePhonemesCsv } from '../electron/services/training/phonemesCsv';
import { griffinLimVocoder } from '../electron/services/synthesis/vocoders';

export interface TeacherForcedWavs {
  wavs: string[];
  /** the checkpoint's training step and its mean squared error on the held-out mels (ln-mel) */
  step: number;
  mse: number;
}

/** `<voice>-training/tacotron2.pt` next to the voice (how resources/voices ships the demo's state), if present. */
export function trainingCheckpointFor(voiceDir: string): string | null {
  const p = path.join(`${voiceDir.replace(/[/\\]+$/, '')}-training`, 'tacotron2.pt');
  return existsSync(p) ? p : null;
}

export async function teacherForcedWavs(opts: {
  py: string;
  trainerDir: string;
  checkpoint: string;
  sentences: { id: string; text: string }[];
  realDir: string;
  preset: MelPreset;
  outDir: string;
}): Promise<TeacherForcedWavs> {
  const work = path.join(os.tmpdir(), `formant-bench-gta-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  try {
    // a dataset of just the held-out clips: metadata.csv, phonemes.csv (the app's phonemizer), wavs/ → the recordings
    mkdirSync(work, { recursive: true });
    writeFileSync(path.join(work, 'metadata.csv'), opts.sentences.map((s) => `${s.id}|${s.text}|${s.text}\n`).join(''));
    symlinkSync(opts.realDir, path.join(work, 'wavs'));
    await writePhonemesCsv(work);
    const out = path.join(work, 'gta');
    const r = spawnSync(opts.py, ['-m', 'formant_trainer', 'gta', work, '--checkpoint', opts.checkpoint, '--out', out], {
      cwd: opts.trainerDir,
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: opts.trainerDir },
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(`formant_trainer gta failed (exit ${r.status}): ${(r.stdout + r.stderr).slice(-2000)}`);
    const summary = JSON.parse(readFileSync(path.join(out, 'gta.json'), 'utf8')) as { step: number; mse: number };
    const gl = griffinLimVocoder(opts.preset);
    const wavs: string[] = [];
    for (const s of opts.sentences) {
      const npy = readNpy(new Uint8Array(readFileSync(path.join(out, `${s.id}.npy`))));
      const [nMels, frames] = npy.shape;
      if (nMels !== opts.preset.nMels) throw new Error(`${s.id}: teacher-forced mel has ${nMels} bands, the voice ${opts.preset.nMels}`);
      const audio = await gl({ nMels, frames, data: npy.data }, { seed: 1 });
      const wav = path.join(opts.outDir, `${s.id}.teacher-forced.wav`);
      writeFileSync(wav, encodeWav(audio, opts.preset.sampleRate));
      wavs.push(wav);
    }
    return { wavs, step: summary.step, mse: summary.mse };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Can this Python run the trainer (torch importable)? */
export function pythonHasTorch(py: string): boolean {
  return spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

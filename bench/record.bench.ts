/**
 * `npm run bench:record`: how long the studio takes, after Stop, to save and check a 10 s take (the
 * Record view's target: under 0.5 s). A 48 kHz and a 44.1 kHz take of generated speech (the rates
 * microphones deliver) into a project that already holds 300 clips; each row is the median of 7 takes,
 * the service's own time (decode, trim, render, QA, two atomic writes, manifest save, the check against the prompt,
 * whose espeak reading is ready after the first take as record.prompts prepares it), against import's decode of the
 * same take alone (ffmpeg for 44.1/48 kHz), which is what saving through the import path would cost before any work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav } from '../shared/dsp/wav';
import { utterance } from '../electron/services/prepare/testSignals';
import { createProject, updateManifest } from '../electron/services/projectStore';
import { saveTake } from '../electron/services/record/saveTake';
import { scanSource } from '../electron/services/prepare/sourceAudio';
import { writeFileSync } from 'node:fs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'formant-bench-record-'));
try {
  await createProject(dir);
  const now = new Date().toISOString();
  await updateManifest(dir, (m) => {
    for (let i = 0; i < 300; i++)
      m.clips.push({ id: `c${i}`, sourceId: 's', sourceStart: 0, sourceEnd: 1, wav: `wavs/c${i}.wav`, durationSeconds: 4, text: 'Some words here.', status: 'transcribed', origin: 'import', createdAt: now, updatedAt: now });
    m.sources.push({ id: 's', originalPath: '/x.wav', storedPath: 'sources/s.wav', sha256: 'a'.repeat(64), bytes: 1, importedAt: now, durationSeconds: 1200, sampleRate: 22050, channels: 1, codec: 'pcm_s16le', status: 'ok' });
  });
  for (const rate of [48000, 44100, 22050]) {
    const times: number[] = [];
    const ffmpegDecode: number[] = [];
    for (let i = 0; i < 7; i++) {
      const wav = encodeWav(utterance({ rate, seconds: 9, lead: 0.5, trail: 0.5, seed: i + 1, noiseAmp: 0.0003 }).samples, rate);
      const t0 = performance.now();
      const r = await saveTake(dir, { text: 'It was the best of times, it was the worst of times, it was the age of wisdom.', wav });
      times.push(performance.now() - t0);
      // Reference: import's decode of the same take alone (ffmpeg resamples what is not at the project rate).
      const file = path.join(dir, `ref-${rate}.wav`);
      writeFileSync(file, wav);
      const t1 = performance.now();
      await scanSource(file, { sampleRate: 22050, bytes: wav });
      ffmpegDecode.push(performance.now() - t1);
      if (i === 0) console.log(`  ${rate} Hz take: ${r.recordedSeconds} s, flags [${r.qa.flags.join(', ')}]`);
    }
    times.sort((a, b) => a - b);
    ffmpegDecode.sort((a, b) => a - b);
    console.log(
      `10 s take at ${rate} Hz → saved and checked: median ${times[3]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[6]!.toFixed(0)}), target 500 ms; ` +
        `import's decode alone (${rate === 22050 ? 'in-process' : 'ffmpeg'}): ${ffmpegDecode[3]!.toFixed(0)} ms → whole save / that decode = ${(times[3]! / ffmpegDecode[3]!).toFixed(2)}`,
    );
  }
  // The prompt check's espeak run when the prompt was not prepared by record.prompts (the rows above: prepared).
  const cold: number[] = [];
  for (let i = 0; i < 3; i++) {
    const wav = encodeWav(utterance({ rate: 48000, seconds: 9, lead: 0.5, trail: 0.5, seed: 20 + i, noiseAmp: 0.0003 }).samples, 48000);
    const t0 = performance.now();
    await saveTake(dir, { text: `A prompt nobody prepared, number ${i + 1}, read in one go.`, wav });
    cold.push(performance.now() - t0);
  }
  console.log(`10 s take at 48000 Hz, its prompt not prepared (espeak-ng runs after Stop): ${cold.map((x) => x.toFixed(0)).join(', ')} ms`);
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

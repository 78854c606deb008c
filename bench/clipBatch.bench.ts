/**
 * `npm run bench:clips`: a bulk edit of every clip of a 10 000-clip project (the Dataset view's
 * select all → reject), one clip per call (`clips.update`, what bulk actions did before) against
 * one batch (`clips.updateMany`). Also a batched delete of all 10 000 clips and its undo.
 *
 * One by one, every call loads, validates and atomically saves the whole manifest, so 10 000 calls
 * take long: by default the first `--sample N` (200) are timed and the total is extrapolated
 * (printed as such); `--full` runs all of them. Clips are synthetic (no audio decoding is involved
 * in a status edit; the deleted clips' WAVs are tiny files).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav } from '../shared/dsp/wav';
import { updateClips } from '../electron/services/prepare/clipBatch';
import { updateClip } from '../electron/services/prepare/clipEdits';
import { renderKey } from '../electron/services/prepare/render';
import { createProject, loadManifest, updateManifest } from '../electron/services/projectStore';

const args = process.argv.slice(2);
const N = 10_000;
const full = args.includes('--full');
const sample = full ? N : Math.max(10, Number(args[args.indexOf('--sample') + 1]) || 200);

async function makeProject(): Promise<{ dir: string; ids: string[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'formant-bench-clips-'));
  const { settings } = await createProject(dir);
  const now = new Date().toISOString();
  const sha = 'c'.repeat(64);
  const wav = encodeWav(new Float32Array(16), settings.sampleRate);
  await updateManifest(dir, (m) => {
    m.sources.push({ id: 'rec', originalPath: '/rec.wav', storedPath: 'sources/rec.wav', sha256: sha, bytes: 1, importedAt: now, durationSeconds: N * 5, sampleRate: 22050, channels: 1, codec: 'pcm_s16le', status: 'ok' });
    for (let i = 0; i < N; i++) {
      const id = `rec_${String(i).padStart(5, '0')}`;
      m.clips.push({ id, sourceId: 'rec', sourceStart: i * 5, sourceEnd: i * 5 + 4, wav: `wavs/${id}.wav`, durationSeconds: 5, text: `Sentence number ${i}.`, status: 'transcribed', origin: 'split', renderKey: renderKey(sha, i * 5, i * 5 + 4, settings), createdAt: now, updatedAt: now });
      writeFileSync(path.join(dir, 'wavs', `${id}.wav`), wav);
    }
  });
  return { dir, ids: (await loadManifest(dir)).clips.map((c) => c.id) };
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function main(): Promise<void> {
  const { dir, ids } = await makeProject();
  try {
    let t0 = process.hrtime.bigint();
    for (const id of ids.slice(0, sample)) await updateClip(dir, id, { status: 'rejected' });
    const each = seconds(t0) / sample;
    const oneByOne = each * N;

    t0 = process.hrtime.bigint();
    await updateClips(dir, ids.map((id) => ({ op: 'update' as const, id, status: 'reviewed' as const })));
    const batched = seconds(t0);

    t0 = process.hrtime.bigint();
    const del = await updateClips(dir, ids.map((id) => ({ op: 'delete' as const, id })));
    const deleted = seconds(t0);
    t0 = process.hrtime.bigint();
    const undo = await updateClips(dir, del.undo);
    const undone = seconds(t0);
    if ((await loadManifest(dir)).clips.length !== N || undo.rendered !== 0) throw new Error('undo did not restore every clip from the trash');

    const how = full ? `all ${N} timed` : `${sample} timed, × ${N / sample} extrapolated`;
    console.log(`clips.update one by one:   ${oneByOne.toFixed(1)} s for ${N} clips (${(each * 1000).toFixed(1)} ms per clip; ${how})`);
    console.log(`clips.updateMany, 1 batch: ${batched.toFixed(2)} s for ${N} clips → ${(oneByOne / batched).toFixed(0)}× faster`);
    console.log(`batched delete of ${N} clips: ${deleted.toFixed(2)} s; its undo (WAVs back from the trash): ${undone.toFixed(2)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

/**
 * `npm run bench:soak [-- --seconds 60]`: one project, two processes, a minute of mixed work, then
 * a count of what was lost (the answer must be nothing).
 *
 * Each worker process loops until the time is up: imports two new recordings (its own names, and
 * every fifth round one named like the other worker's),
 * edits the transcript of one of its clips and of a clip both workers share, re-renders a clip
 * after moving its region, and every few rounds exports the project as LJSpeech into its own folder
 * (checking on the spot that every WAV its metadata.csv lists is whole). Both open the project
 * all the time (which cleans up temp files), so a worker that removed the other's in-flight
 * write would show up as a failed import. It reports what it did; the parent then checks that
 * every source and clip each worker imported is in the manifest with its WAV on disk, that each
 * edited clip holds the last text its worker wrote (the shared clip: the last text of one of
 * them), that no lock or temp file is left, and that a final export lists every transcribed clip.
 * Exit 1 when anything was lost.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav } from '../shared/dsp/wav';
import { exportLjspeech } from '../electron/services/prepare/ljspeechExport';
import { importRecordings } from '../electron/services/prepare/importRecordings';
import { setClipRegion, updateClip } from '../electron/services/prepare/clipEdits';
import { utterance } from '../electron/services/prepare/testSignals';
import { createProject, loadManifest } from '../electron/services/projectStore';

const SHARED_CLIP = 'shared';
const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

interface WorkerReport {
  tag: string;
  rounds: number;
  imports: number;
  sources: string[];
  clips: string[];
  edits: number;
  lastText: Record<string, string>;
  sharedTexts: string[];
  regionEdits: number;
  exports: number;
  exportProblems: string[];
  errors: string[];
}

async function worker(proj: string, tag: string, until: number): Promise<WorkerReport> {
  const r: WorkerReport = { tag, rounds: 0, imports: 0, sources: [], clips: [], edits: 0, lastText: {}, sharedTexts: [], regionEdits: 0, exports: 0, exportProblems: [], errors: [] };
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), `formant-soak-${tag}-`));
  const out = `${proj}-export-${tag}`;
  const note = (what: string, e: unknown) => r.errors.push(`${what}: ${(e as Error)?.message ?? e}`);
  try {
    while (Date.now() < until) {
      const n = r.rounds++;
      // Import two new recordings.
      const batch = path.join(scratch, `round${n}`);
      await fs.mkdir(batch);
      for (let k = 0; k < 2; k++) {
        // Every fifth round both workers import a different recording under the same name.
        const stem = k === 1 && n % 5 === 0 ? `both-${n}` : `${tag}-${n}-${k}`;
        await fs.writeFile(path.join(batch, `${stem}.wav`), encodeWav(utterance({ rate: 22050, seconds: 1.5, seed: (tag === 'A' ? 1 : 2) * 100_000 + n * 2 + k }).samples, 22050));
        await fs.writeFile(path.join(batch, `${stem}.txt`), `Take ${stem}.`);
      }
      try {
        const res = await importRecordings(proj, [batch], { concurrency: 1 });
        r.imports++;
        for (const f of res.files) {
          if (f.state !== 'imported' || !f.sourceId) r.errors.push(`import ${path.basename(f.file)}: ${f.state} ${f.error ?? ''}`);
          else {
            r.sources.push(f.sourceId);
            r.clips.push(...f.clips);
          }
        }
      } catch (e) {
        note('import', e);
      }
      // Edit a transcript of our own and the shared clip's.
      if (r.clips.length) {
        const id = r.clips[(n * 7) % r.clips.length];
        const text = `Edited by ${tag} in round ${n}.`;
        try {
          await updateClip(proj, id, { text });
          r.lastText[id] = text;
          r.edits++;
        } catch (e) {
          note(`edit ${id}`, e);
        }
      }
      try {
        const text = `Shared, ${tag} round ${n}.`;
        await updateClip(proj, SHARED_CLIP, { text });
        r.sharedTexts.push(text);
        r.edits++;
      } catch (e) {
        note('edit shared', e);
      }
      // Move one of our clips' regions (re-renders its WAV inside the manifest update).
      if (n % 3 === 1 && r.clips.length) {
        const id = r.clips[n % r.clips.length];
        try {
          const m = await loadManifest(proj);
          const c = m.clips.find((x) => x.id === id);
          if (c) {
            await setClipRegion(proj, id, c.sourceStart, Math.max(c.sourceStart + 0.6, c.sourceEnd - 0.01));
            r.regionEdits++;
          }
        } catch (e) {
          note(`region ${id}`, e);
        }
      }
      // Export every few rounds; every WAV metadata.csv lists must be whole.
      if (n % 4 === 3) {
        try {
          await exportLjspeech(proj, out);
          r.exports++;
          for (const line of readFileSync(path.join(out, 'metadata.csv'), 'utf8').split('\n').filter(Boolean)) {
            const wav = path.join(out, 'wavs', `${line.split('|')[0]}.wav`);
            const size = (await fs.stat(wav).catch(() => null))?.size ?? 0;
            if (size <= 44) r.exportProblems.push(`${path.basename(wav)}: ${size} bytes`);
          }
        } catch (e) {
          note('export', e);
        }
      }
    }
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  return r;
}

async function main(): Promise<void> {
  if (arg('--worker')) {
    const report = await worker(arg('--project')!, arg('--worker')!, Number(arg('--until')));
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  const seconds = Number(arg('--seconds') ?? 60);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-soak-'));
  const proj = path.join(tmp, 'project');
  await createProject(proj, { name: 'soak' });
  const seed = path.join(tmp, 'seed');
  await fs.mkdir(seed);
  await fs.writeFile(path.join(seed, `${SHARED_CLIP}.wav`), encodeWav(utterance({ rate: 22050, seconds: 1.5, seed: 7 }).samples, 22050));
  await fs.writeFile(path.join(seed, `${SHARED_CLIP}.txt`), 'Shared, before the soak.');
  await importRecordings(proj, [seed]);

  const until = Date.now() + seconds * 1000;
  const started = Date.now();
  console.log(`bench:soak: two processes on ${proj} for ${seconds} s …`);
  const run = (tag: string) =>
    new Promise<WorkerReport>((resolve, reject) => {
      const child = spawn(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, '--worker', tag, '--project', proj, '--until', String(until)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('close', (code) => {
        try {
          resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
        } catch {
          reject(new Error(`worker ${tag} exited with ${code} without a report`));
        }
      });
    });
  const reports = await Promise.all([run('A'), run('B')]);
  const wall = (Date.now() - started) / 1000;

  // What was lost?
  const m = await loadManifest(proj);
  const sources = new Set(m.sources.map((s) => s.id));
  const clips = new Map(m.clips.map((c) => [c.id, c]));
  const lost: string[] = [];
  for (const r of reports) {
    for (const s of r.sources) if (!sources.has(s)) lost.push(`source ${s} (${r.tag})`);
    for (const id of r.clips) {
      const c = clips.get(id);
      if (!c) lost.push(`clip ${id} (${r.tag})`);
      else if (!existsSync(path.join(proj, c.wav))) lost.push(`clip ${id}'s WAV (${r.tag})`);
    }
    for (const [id, text] of Object.entries(r.lastText)) if (clips.get(id)?.text !== text) lost.push(`edit of ${id} by ${r.tag}: "${clips.get(id)?.text}" instead of "${text}"`);
  }
  // Each source copy is the recording its entry names (two same-named recordings did not overwrite each other).
  for (const s of m.sources) {
    const bytes = await fs.readFile(path.join(proj, s.storedPath)).catch(() => null);
    if (!bytes || createHash('sha256').update(bytes).digest('hex') !== s.sha256) lost.push(`source ${s.id}: its copy is not the recording it names`);
  }
  const sharedNow = clips.get(SHARED_CLIP)?.text ?? '';
  const sharedLast = reports.map((r) => r.sharedTexts.at(-1)).filter(Boolean);
  if (!sharedLast.includes(sharedNow)) lost.push(`shared clip: "${sharedNow}" is neither worker's last edit`);
  const leftovers: string[] = [];
  for (const d of ['', 'sources', 'wavs']) for (const f of await fs.readdir(path.join(proj, d))) if (f.includes('.tmp-') || f.endsWith('.lock')) leftovers.push(path.join(d, f));
  const onDisk = new Set(await fs.readdir(path.join(proj, 'wavs')));
  const orphans = [...onDisk].filter((f) => f.endsWith('.wav') && !m.clips.some((c) => path.basename(c.wav) === f));
  const finalOut = `${proj}-export-final`;
  const final = await exportLjspeech(proj, finalOut);
  const transcribed = m.clips.filter((c) => c.status !== 'rejected' && c.text && c.status !== 'untranscribed').length;
  if (final.exported !== transcribed) lost.push(`final export: ${final.exported} clips of ${transcribed} transcribed`);

  const sum = (f: (r: WorkerReport) => number) => reports.reduce((s, r) => s + f(r), 0);
  console.log(`  wall ${wall.toFixed(1)} s; rounds A ${reports[0].rounds}, B ${reports[1].rounds}`);
  console.log(`  imports ${sum((r) => r.imports)} (sources ${sum((r) => r.sources.length)}, clips ${sum((r) => r.clips.length)}), transcript edits ${sum((r) => r.edits)}, region edits ${sum((r) => r.regionEdits)}, exports ${sum((r) => r.exports)}`);
  console.log(`  manifest: ${m.sources.length} sources, ${m.clips.length} clips; final export ${final.exported} clips`);
  console.log(`  lost: ${lost.length}; errors: ${sum((r) => r.errors.length)}; incomplete exported WAVs: ${sum((r) => r.exportProblems.length)}; temp/lock files left: ${leftovers.length}; WAVs of no clip: ${orphans.length}`);
  for (const x of [...lost, ...reports.flatMap((r) => [...r.errors, ...r.exportProblems]), ...leftovers.map((f) => `left behind: ${f}`), ...orphans.map((f) => `orphan: wavs/${f}`)].slice(0, 20)) console.log(`    ${x}`);
  const bad = lost.length + sum((r) => r.errors.length + r.exportProblems.length) + leftovers.length + orphans.length;
  if (!args.includes('--keep')) await fs.rm(tmp, { recursive: true, force: true });
  else console.log(`  kept ${tmp}`);
  process.exit(bad ? 1 : 0);
}

await main();

/**
 * `npm run bench:prepare`: dataset preparation throughput on real speech.
 *
 *   formant import   `formant import <tmp-project> ../shared/data/lj-train` (the CLI, end to end,
 *                    startup included), audio-seconds in per wall-second
 *   bare ffmpeg      `ffmpeg -i f -ar 22050 -ac 1 -sample_fmt s16 out.wav` per file, 2 at a time
 *                    (the same parallelism), audio-seconds per wall-second
 *   ratio            formant / ffmpeg (target ≥ 0.8), and formant vs real time (target ≥ 200×)
 *
 * Both run in this process's run, one after the other, on the same files; `--repeat N` alternates
 * them N times and reports the best of each (the machine is shared). `--long` also builds a 2-hour
 * recording from the same clips and imports it, printing wall time and peak RSS (streaming check);
 * `--long-only` runs just that.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseWavHeader } from '../shared/dsp/wav';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const data = path.resolve(root, '..', 'shared', 'data', 'lj-train');
const args = process.argv.slice(2);
const repeat = Math.max(1, Number(args[args.indexOf('--repeat') + 1]) || 1);
const long = args.includes('--long') || args.includes('--long-only');
const mainRun = !args.includes('--long-only');

if (!existsSync(data)) {
  console.log(`bench:prepare: ${data} is absent; nothing to measure`);
  process.exit(0);
}
const files = readdirSync(path.join(data, 'wavs'))
  .filter((f) => f.endsWith('.wav'))
  .sort()
  .map((f) => path.join(data, 'wavs', f));
const audioSeconds = files.reduce((s, f) => {
  const h = parseWavHeader(readFileSync(f).subarray(0, 4096), { fileLength: statSync(f).size });
  return s + h.frames / h.sampleRate;
}, 0);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(0) : reject(new Error(`${cmd} ${argv.join(' ')} → ${code}\n${err.slice(-2000)}`))));
  });
}

async function bareFfmpeg(): Promise<number> {
  const out = path.join(tmp, `ffmpeg-${Date.now()}`);
  spawnSync('mkdir', ['-p', out]);
  const queue = [...files];
  const t0 = performance.now();
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift())
      await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', f, '-ar', '22050', '-ac', '1', '-sample_fmt', 's16', path.join(out, path.basename(f))]);
  };
  await Promise.all([worker(), worker()]);
  const s = (performance.now() - t0) / 1000;
  rmSync(out, { recursive: true, force: true });
  return s;
}

function formantImport(inputs: string[]): { seconds: number; peakRssMb: number | null; output: string } {
  const proj = path.join(tmp, `proj-${Date.now()}`);
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'peak-rss-kb %M', process.execPath, path.join(root, 'bin', 'formant.mjs'), 'import', proj, ...inputs], {
    encoding: 'utf8',
    env: { ...process.env, CI: '1' }, // no progress bar in the timing
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`formant import failed (${r.status}):\n${r.stderr}`);
  const rss = /peak-rss-kb (\d+)/.exec(r.stderr ?? '');
  rmSync(proj, { recursive: true, force: true });
  return { seconds, peakRssMb: rss ? +rss[1] / 1024 : null, output: r.stdout.trim() };
}

const fmt = (x: number) => x.toFixed(1);
console.log(`bench:prepare — ${files.length} files, ${fmt(audioSeconds / 60)} min of audio (${data}), ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
let bestFf = Infinity;
let bestFormant = Infinity;
let rss: number | null = null;
for (let i = 0; mainRun && i < repeat; i++) {
  const ff = await bareFfmpeg();
  const fo = formantImport([data]);
  console.log(`  run ${i + 1}: bare ffmpeg ${fmt(ff)} s, formant import ${fmt(fo.seconds)} s (${fo.output})`);
  bestFf = Math.min(bestFf, ff);
  bestFormant = Math.min(bestFormant, fo.seconds);
  rss = fo.peakRssMb;
}
if (mainRun) {
  const ffRate = audioSeconds / bestFf;
  const foRate = audioSeconds / bestFormant;
  console.log(`bare ffmpeg (2 parallel):  ${fmt(ffRate)} audio-s per wall-s`);
  console.log(`formant import (CLI):      ${fmt(foRate)} audio-s per wall-s (${foRate >= 200 ? 'meets' : 'BELOW'} the 200× target)${rss ? `, peak RSS ${fmt(rss)} MB` : ''}`);
  console.log(`ratio formant / ffmpeg:    ${(foRate / ffRate).toFixed(2)} (${foRate / ffRate >= 0.8 ? 'meets' : 'BELOW'} the 0.8 target)`);
}

if (long) {
  // A 2-hour recording: the lj-train clips concatenated (looped) into one 22050 Hz WAV (317 MB,
  // over the in-memory limit), so the import streams it through ffmpeg twice. Peak RSS shows that
  // memory stays bounded (a whole decode would hold 635 MB of float samples).
  const list = path.join(tmp, 'list.txt');
  const reps = Math.ceil(7200 / audioSeconds);
  const lines: string[] = [];
  for (let r = 0; r < reps; r++) for (const f of files) lines.push(`file '${f.replace(/'/g, "'\\''")}'`);
  (await import('node:fs')).writeFileSync(list, lines.join('\n'));
  const big = path.join(tmp, 'two-hours.wav');
  const t0 = performance.now();
  await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-t', '7200', '-c', 'copy', big]);
  console.log(`2-hour file: built in ${fmt((performance.now() - t0) / 1000)} s (${fmt(statSync(big).size / 2 ** 20)} MB)`);
  const fo = formantImport([big]);
  console.log(`2-hour file: formant import ${fmt(fo.seconds)} s (${fmt(7200 / fo.seconds)}× real time), peak RSS ${fo.peakRssMb ? fmt(fo.peakRssMb) : '?'} MB (${fo.output})`);
}

/**
 * `npm run bench:align`: aligns long recordings built by joining LJSpeech utterances
 * (../shared/data/lj-train) with random, seeded pauses, against their joined transcript
 * (one utterance per line), and prints:
 *  - the share of boundaries between two utterances that fall inside the true pause;
 *  - median and 95th percentile of the distance between segment edges and the true speech edges;
 *  - the share of clips (utterances) whose text is exactly right (both cuts in the right pauses);
 *  - speed in × real time (wall clock, and per CPU-second of this process);
 *  - the variant with one utterance deleted from the text: how many other segments it affects.
 * Options: --recordings N (default 3), --utterances N per recording (default all / N), --seed S.
 */
import path from 'node:path';
import { alignSpeech, type EngineSegment } from '../electron/services/align/alignEngine';
import { joinUtterances, readLjSpeech, sharedDataDir, type JoinedRecording } from '../electron/services/align/joinedRecording';
import { transcriptUnits } from '../electron/services/align/transcriptUnits';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dataDir = path.join(sharedDataDir(root), 'lj-train');

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]! : NaN;
}

interface Scored {
  boundaries: number;
  boundariesInPause: number;
  clips: number;
  clipsRight: number;
  edgeErrors: number[];
  wrongUtterances: number[];
  splitUnits: number;
}

/** Groups segments by the utterance (transcript line) their text comes from and checks each group. */
function score(rec: JoinedRecording, segs: EngineSegment[], lineOf: (charStart: number) => number, uttOfLine: (line: number) => number): Scored {
  const groups = new Map<number, EngineSegment[]>();
  for (const s of segs) {
    const u = uttOfLine(lineOf(s.charStart));
    groups.set(u, [...(groups.get(u) ?? []), s]);
  }
  const inside = (t: number, p: { start: number; end: number }) => t >= p.start && t <= p.end;
  const r: Scored = { boundaries: 0, boundariesInPause: 0, clips: 0, clipsRight: 0, edgeErrors: [], wrongUtterances: [], splitUnits: 0 };
  for (const [u, g] of groups) {
    const first = g[0]!;
    const last = g[g.length - 1]!;
    r.splitUnits += g.length - 1;
    const before = u === 0 ? { start: 0, end: rec.utterances[0]!.speech.start } : rec.pauses[u - 1]!;
    const after = u === rec.utterances.length - 1 ? { start: rec.utterances[u]!.speech.end, end: Infinity } : rec.pauses[u]!;
    const ok = inside(first.cutStart, before) && inside(last.cutEnd, after);
    r.clips++;
    if (ok) r.clipsRight++;
    else r.wrongUtterances.push(u);
    if (u < rec.utterances.length - 1 && groups.has(u + 1)) {
      r.boundaries++;
      if (inside(last.cutEnd, after)) r.boundariesInPause++;
    }
    r.edgeErrors.push(Math.abs(first.start - rec.utterances[u]!.speech.start), Math.abs(last.end - rec.utterances[u]!.speech.end));
  }
  return r;
}

async function alignJoined(rec: JoinedRecording, drop: number | null) {
  const lines = rec.utterances.map((u, i) => ({ text: u.text, utt: i })).filter((l) => l.utt !== drop);
  const transcript = lines.map((l) => l.text).join('\n') + '\n';
  const lineStarts: number[] = [];
  let at = 0;
  for (const l of lines) {
    lineStarts.push(at);
    at += l.text.length + 1;
  }
  const units = transcriptUnits(transcript, { byLine: true });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const res = await alignSpeech(rec.samples, rec.sampleRate, units, { maxUnitSeconds: 12 });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const lineOf = (c: number) => {
    let lo = 0;
    while (lo + 1 < lineStarts.length && lineStarts[lo + 1]! <= c) lo++;
    return lo;
  };
  return { res, wall, cpu: (cpu.user + cpu.system) / 1e6, scored: score(rec, res.segments, lineOf, (line) => lines[line]!.utt) };
}

async function main() {
  const all = await readLjSpeech(dataDir);
  if (!all) {
    console.log(`bench:align: ${dataDir} is absent; nothing to measure.`);
    return;
  }
  const nRec = arg('recordings', 3);
  const per = arg('utterances', Math.floor(all.length / nRec));
  const seed = arg('seed', 1);
  console.log(`bench:align: ${nRec} recordings × ${per} LJSpeech utterances (lj-train), pauses 0.3–1.0 s (seed ${seed})`);
  const totals: Scored = { boundaries: 0, boundariesInPause: 0, clips: 0, clipsRight: 0, edgeErrors: [], wrongUtterances: [], splitUnits: 0 };
  let audio = 0;
  let wall = 0;
  let cpu = 0;
  let firstRec: JoinedRecording | null = null;
  for (let r = 0; r < nRec; r++) {
    const rec = joinUtterances(all.slice(r * per, (r + 1) * per), 22050, { seed: seed + r });
    firstRec ??= rec;
    const out = await alignJoined(rec, null);
    const d = rec.samples.length / rec.sampleRate;
    audio += d;
    wall += out.wall;
    cpu += out.cpu;
    const s = out.scored;
    totals.boundaries += s.boundaries;
    totals.boundariesInPause += s.boundariesInPause;
    totals.clips += s.clips;
    totals.clipsRight += s.clipsRight;
    totals.edgeErrors.push(...s.edgeErrors);
    totals.splitUnits += s.splitUnits;
    console.log(
      `  recording ${r + 1}: ${(d / 60).toFixed(1)} min, ${s.clips} utterances, boundaries in pause ${s.boundariesInPause}/${s.boundaries}, clips right ${s.clipsRight}/${s.clips}` +
        `${s.wrongUtterances.length ? ` (wrong: ${s.wrongUtterances.join(', ')})` : ''}, ${(d / out.wall).toFixed(1)}× real time ` +
        `(synthesis ${out.res.timings.synthesisSeconds.toFixed(1)} s, features ${out.res.timings.featuresSeconds.toFixed(1)} s, DTW ${out.res.timings.dtwSeconds.toFixed(1)} s, tempo ${out.res.tempo.toFixed(2)})`,
    );
  }
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  console.log('');
  console.log(`boundaries inside the true pause: ${pct(totals.boundariesInPause, totals.boundaries)} (${totals.boundariesInPause}/${totals.boundaries})   target ≥ 98%`);
  console.log(`distance of segment edges to the true speech edges: median ${(quantile(totals.edgeErrors, 0.5) * 1000).toFixed(0)} ms, 95th percentile ${(quantile(totals.edgeErrors, 0.95) * 1000).toFixed(0)} ms`);
  console.log(`clips with exactly the right text: ${pct(totals.clipsRight, totals.clips)} (${totals.clipsRight}/${totals.clips})   target ≥ 99%`);
  console.log(`long lines split into phrases (maxClipSeconds 12): ${totals.splitUnits}`);
  console.log(`speed: ${(audio / wall).toFixed(1)}× real time wall clock, ${(audio / cpu).toFixed(1)}× per CPU-second (${(audio / 60).toFixed(1)} min of audio; the machine's load counts in the wall figure)   target ≥ 20×`);

  // Variant: one utterance (in the middle of the first recording) missing from the text.
  const rec = firstRec!;
  const drop = Math.floor(rec.utterances.length / 2);
  const out = await alignJoined(rec, drop);
  const affected = out.scored.wrongUtterances.filter((u) => u !== drop);
  const flagged = out.res.segments.filter((s) => s.confidence < 0.5).length;
  console.log('');
  console.log(
    `deleted sentence (utterance ${drop} of recording 1 removed from the text): ${affected.length} other segment(s) affected` +
      `${affected.length ? ` (${affected.join(', ')})` : ''} of ${out.scored.clips}; ${flagged} segment(s) flagged low-confidence`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

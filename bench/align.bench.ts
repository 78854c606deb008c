/**
 * `npm run bench:align`: aligns long recordings with known answers against their transcripts (one
 * utterance per line) and prints, per condition and overall:
 *  - the share of boundaries between two utterances that fall inside the true pause;
 *  - words in the wrong clip: for a cut outside the true pause, the words of the utterance it cuts
 *    into that land in the neighbouring clip (≈ its words × the share of its speech cut off, at
 *    least 1; LJSpeech has no word timings);
 *  - clips cut short (part of their own speech outside the clip), the last sentence's end included;
 *  - how many of the wrong clips were flagged for review (confidence < LOW_CONFIDENCE), and how many
 *    right clips were flagged needlessly;
 *  - median / 95th percentile distance of segment edges to the true speech edges;
 *  - speed in × real time (wall clock, and per CPU-second of this process).
 * Conditions:
 *  - lj-long: LJSpeech (lj-train) joined as they are, plus pauses of 0.3–1.0 s (the old bench);
 *  - lj-continuous: LJSpeech trimmed to their speech, sentence pauses 0.1–0.35 s (continuous reading);
 *  - lj-sox: the issue's case, LJ001-0008 … LJ001-0012 (lj-small) joined back to back as sox does;
 *  - espeak-voices: sentences by several espeak-ng voices other than the aligner's, pauses 0.1–0.35 s.
 * Options: --recordings N per LJSpeech condition (default 2), --utterances N per recording (default 40),
 * --pauses A-B (lj-continuous's sentence pauses, s; default 0.1-0.35: shorter ones stress the flags), --seed S, --only <condition>[,<condition>…] (e.g. --only lj-continuous,lj-sox while iterating), --json <file> (writes the totals).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { alignSpeech, type EngineSegment } from '../electron/services/align/alignEngine';
import { CLEAR_FRAMES, LOW_CONFIDENCE } from '../electron/services/align/confidence';
import { ESPEAK_SAMPLE_RATE, synthesizeTexts } from '../electron/services/align/espeakSynth';
import { GENERATED_SENTENCES } from '../electron/services/align/generatedRecording';
import { joinUtterances, readLjSpeech, sharedDataDir, type JoinedRecording, type Utterance } from '../electron/services/align/joinedRecording';
import { transcriptUnits } from '../electron/services/align/transcriptUnits';

const argOf = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, def: number) => Number(argOf(name) ?? def);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dataDir = sharedDataDir(root);

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]! : NaN;
}

interface Scored {
  boundaries: number;
  boundariesInPause: number;
  clips: number;
  clipsRight: number;
  wordsWrong: number;
  words: number;
  cutShort: number;
  wrongFlagged: number;
  rightFlagged: number;
  edgeErrors: number[];
  wrongUtterances: number[];
  /** One line per boundary outside the true pause (and per outer edge that leaves speech out): what went wrong where. */
  failures: string[];
  /** Per boundary: inside the true pause or not, its second-pass margin and excess (frames), whether a clip beside it was flagged (for calibrating flags; --json). */
  boundaryLog: { ok: boolean; margin: number | null; excess: number | null; flagged: boolean; pauseSeconds: number }[];
  /** Second-pass margins (frames) of boundaries inside / outside the true pause: what CLEAR_FRAMES is calibrated on. */
  marginsRight: number[];
  marginsWrong: number[];
  audioSeconds: number;
  wallSeconds: number;
  cpuSeconds: number;
}

const empty = (): Scored => ({ boundaries: 0, boundariesInPause: 0, clips: 0, clipsRight: 0, wordsWrong: 0, words: 0, cutShort: 0, wrongFlagged: 0, rightFlagged: 0, edgeErrors: [], wrongUtterances: [], failures: [], boundaryLog: [], marginsRight: [], marginsWrong: [], audioSeconds: 0, wallSeconds: 0, cpuSeconds: 0 });

function add(t: Scored, s: Scored): void {
  for (const k of Object.keys(t) as (keyof Scored)[]) {
    if (k === 'edgeErrors' || k === 'marginsRight' || k === 'marginsWrong') t[k].push(...s[k]);
    else if (k === 'boundaryLog') t[k].push(...s[k]);
    else if (k === 'wrongUtterances' || k === 'failures') continue;
    else (t[k] as number) += s[k] as number;
  }
}

const wordCount = (t: string) => t.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

/** Groups segments by the utterance (transcript line) their text comes from and checks each group. */
function score(rec: JoinedRecording, segs: EngineSegment[], lineOf: (charStart: number) => number): Scored {
  const groups = new Map<number, EngineSegment[]>();
  for (const s of segs) {
    const u = lineOf(s.charStart);
    groups.set(u, [...(groups.get(u) ?? []), s]);
  }
  const inside = (t: number, p: { start: number; end: number }) => t >= p.start && t <= p.end;
  const r = empty();
  const U = rec.utterances;
  // Words of utterance u on the wrong side of cut c (c outside u's speech edge): its share of u's speech, at least 1.
  const spill = (u: number, seconds: number) => {
    const sp = U[u]!.speech;
    return seconds <= 0 ? 0 : Math.max(1, Math.round((wordCount(U[u]!.text) * Math.min(seconds, sp.end - sp.start)) / (sp.end - sp.start)));
  };
  for (const [u, g] of groups) {
    const first = g[0]!;
    const last = g[g.length - 1]!;
    const sp = U[u]!.speech;
    const before = u === 0 ? { start: 0, end: sp.start } : rec.pauses[u - 1]!;
    const after = u === U.length - 1 ? { start: sp.end, end: Infinity } : rec.pauses[u]!;
    const ok = inside(first.cutStart, before) && inside(last.cutEnd, after);
    r.clips++;
    r.words += wordCount(U[u]!.text);
    if (ok) r.clipsRight++;
    else r.wrongUtterances.push(u);
    const flagged = g.some((s) => s.confidence < LOW_CONFIDENCE);
    if (!ok && flagged) r.wrongFlagged++;
    if (ok && flagged) r.rightFlagged++;
    if (first.cutStart > sp.start + 0.02 || last.cutEnd < sp.end - 0.02) r.cutShort++;
    if (u < U.length - 1 && groups.has(u + 1)) {
      r.boundaries++;
      const c = last.cutEnd;
      const m = last.endDoubt?.margin;
      if (m != null) (inside(c, after) ? r.marginsRight : r.marginsWrong).push(m);
      const d = last.endDoubt;
      const why = () =>
        `${U[u]!.id} → ${U[u + 1]!.id}: true pause ${after.start.toFixed(2)}–${after.end.toFixed(2)} (${(after.end - after.start).toFixed(2)} s), cut ${c.toFixed(2)}, ` +
        `runner-up ${d?.alternative ? `${d.alternative.start.toFixed(2)}–${d.alternative.end.toFixed(2)}` : '–'}, margin ${d ? d.margin.toFixed(1) : '–'}, excess ${d ? d.excess.toFixed(1) : '–'}, ` +
        `confidence ${last.confidence.toFixed(2)}/${(groups.get(u + 1)![0]!.confidence).toFixed(2)} [${[...last.flags, ...groups.get(u + 1)![0]!.flags].join(' ')}]`;
      r.boundaryLog.push({ ok: inside(c, after), margin: d?.margin ?? null, excess: d?.excess ?? null, flagged: last.confidence < LOW_CONFIDENCE || groups.get(u + 1)![0]!.confidence < LOW_CONFIDENCE, pauseSeconds: after.end - after.start });
      if (inside(c, after)) r.boundariesInPause++;
      else if (c < after.start) {
        const w = spill(u, after.start - c);
        r.wordsWrong += w;
        r.failures.push(`${w} word(s) early, ${why()}`);
      } else {
        const w = spill(u + 1, c - after.end);
        r.wordsWrong += w;
        r.failures.push(`${w} word(s) late, ${why()}`);
      }
    }
    // The outer edges: speech of the first/last utterance left out of every clip.
    if (u === 0 && first.cutStart > sp.start) {
      r.wordsWrong += spill(0, first.cutStart - sp.start);
      r.failures.push(`first clip starts ${(first.cutStart - sp.start).toFixed(2)} s into ${U[0]!.id}'s speech (${sp.start.toFixed(2)}), confidence ${first.confidence.toFixed(2)} [${first.flags.join(' ')}]`);
    }
    if (u === U.length - 1 && last.cutEnd < sp.end) {
      r.wordsWrong += spill(u, sp.end - last.cutEnd);
      r.failures.push(`last clip ends ${(sp.end - last.cutEnd).toFixed(2)} s before ${U[u]!.id}'s speech ends (${sp.end.toFixed(2)}), confidence ${last.confidence.toFixed(2)} [${last.flags.join(' ')}]`);
    }
    r.edgeErrors.push(Math.abs(first.start - sp.start), Math.abs(last.end - sp.end));
  }
  return r;
}

async function alignJoined(rec: JoinedRecording): Promise<{ scored: Scored; segs: EngineSegment[] }> {
  const transcript = rec.utterances.map((u) => u.text).join('\n') + '\n';
  const lineStarts: number[] = [];
  let at = 0;
  for (const u of rec.utterances) {
    lineStarts.push(at);
    at += u.text.length + 1;
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
  const scored = score(rec, res.segments, lineOf);
  scored.audioSeconds = rec.samples.length / rec.sampleRate;
  scored.wallSeconds = wall;
  scored.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { scored, segs: res.segments };
}

const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;

function line(name: string, s: Scored): string {
  return (
    `${name}: ${(s.audioSeconds / 60).toFixed(1)} min, boundaries in pause ${pct(s.boundariesInPause, s.boundaries)} (${s.boundariesInPause}/${s.boundaries}), ` +
    `words in the wrong clip ${s.wordsWrong}/${s.words}, clips right ${s.clipsRight}/${s.clips}, cut short ${s.cutShort}, ` +
    `wrong clips flagged ${s.wrongFlagged}/${s.clips - s.clipsRight}, right clips flagged ${s.rightFlagged}, ` +
    `${(s.audioSeconds / s.wallSeconds).toFixed(1)}× real time`
  );
}

/** Sentences spoken by espeak-ng voices other than the aligner's (en-us, 175 wpm). */
async function espeakVoices(): Promise<Utterance[]> {
  const voices = [
    { voice: 'en-gb+f3', wordsPerMinute: 145 },
    { voice: 'en-us+m7', wordsPerMinute: 200 },
    { voice: 'en-gb-scotland', wordsPerMinute: 160 },
    { voice: 'en-us+f4', wordsPerMinute: 130 },
  ];
  const out: Utterance[] = [];
  for (const [v, o] of voices.entries()) {
    const texts = GENERATED_SENTENCES.filter((_, i) => i % voices.length === v);
    const audio = await synthesizeTexts(texts, o);
    texts.forEach((text, i) => out.push({ id: `${o.voice}-${i}`, text, samples: audio[i]! }));
  }
  // Interleave the voices: neighbouring sentences come from different speakers.
  return GENERATED_SENTENCES.map((t) => out.find((u) => u.text === t)!);
}

async function main() {
  const nRec = arg('recordings', 2);
  const per = arg('utterances', 40);
  const seed = arg('seed', 1);
  const only = argOf('only');
  // lj-continuous's sentence pauses (s of silence added between the trimmed clips, which keep 2 × 20 ms).
  const pauses = (argOf('pauses') ?? '0.1-0.35').split('-').map((x) => Number(x) - 0.04);
  const lj = await readLjSpeech(path.join(dataDir, 'lj-train'));
  const small = await readLjSpeech(path.join(dataDir, 'lj-small'));
  const conditions: { name: string; about: string; recs: () => Promise<JoinedRecording[]> }[] = [];
  if (lj) {
    const slices = Array.from({ length: nRec }, (_, r) => lj.slice(r * per, (r + 1) * per)).filter((s) => s.length > 1);
    conditions.push({ name: 'lj-long', about: `${slices.length} × ${per} LJSpeech utterances as recorded (edge silence kept) + pauses 0.3–1.0 s`, recs: async () => slices.map((s, r) => joinUtterances(s, 22050, { seed: seed + r })) });
    conditions.push({
      name: 'lj-continuous',
      about: `${slices.length} × ${per} LJSpeech utterances trimmed to speech (±20 ms), pauses ${pauses.map((x) => x + 0.04).join('–')} s between speech`,
      recs: async () => slices.map((s, r) => joinUtterances(s, 22050, { seed: seed + 100 + r, trimToSpeech: 0.02, minPause: pauses[0]!, maxPause: pauses[1]! })),
    });
  } else console.log(`bench:align: ${path.join(dataDir, 'lj-train')} is absent; LJSpeech conditions skipped.`);
  if (small) {
    const five = small.filter((u) => /^LJ001-00(0[89]|1[012])$/.test(u.id));
    conditions.push({ name: 'lj-sox', about: 'LJ001-0008 … LJ001-0012 (lj-small) back to back, no pause added (the issue\'s recording)', recs: async () => [joinUtterances(five, 22050, { seed, minPause: 0, maxPause: 0 })] });
  }
  conditions.push({ name: 'espeak-voices', about: '12 sentences by 4 espeak-ng voices (en-gb f3, en-us m7, scottish, en-us f4), pauses 0.1–0.35 s', recs: async () => [joinUtterances(await espeakVoices(), ESPEAK_SAMPLE_RATE, { seed: seed + 7, minPause: 0.1, maxPause: 0.35 })] });

  const total = empty();
  const report: Record<string, unknown> = {};
  for (const c of conditions) {
    if (only && !only.split(',').includes(c.name)) continue;
    console.log(`\n${c.name}: ${c.about}`);
    const t = empty();
    for (const [i, rec] of (await c.recs()).entries()) {
      const { scored } = await alignJoined(rec);
      console.log(`  ${line(`recording ${i + 1}`, scored)}${scored.wrongUtterances.length ? ` (wrong: ${scored.wrongUtterances.join(', ')})` : ''}`);
      for (const f of scored.failures) console.log(`    ✗ ${f}`);
      add(t, scored);
    }
    console.log(`  ${line('all', t)}`);
    add(total, t);
    report[c.name] = { ...t, edgeErrors: undefined, marginsRight: undefined, failures: undefined, edgeMedianMs: Math.round(quantile(t.edgeErrors, 0.5) * 1000), edgeP95Ms: Math.round(quantile(t.edgeErrors, 0.95) * 1000) };
  }
  console.log('');
  console.log(`boundaries inside the true pause: ${pct(total.boundariesInPause, total.boundaries)} (${total.boundariesInPause}/${total.boundaries})   target ≥ 99%`);
  console.log(`words in the wrong clip: ${total.wordsWrong} of ${total.words}   target 0 (continuous reading, pauses ≥ 0.1 s)`);
  console.log(`clips with exactly the right text: ${pct(total.clipsRight, total.clips)} (${total.clipsRight}/${total.clips}); cut short: ${total.cutShort}`);
  console.log(`wrong clips flagged for review: ${total.wrongFlagged}/${total.clips - total.clipsRight}   target all; right clips flagged: ${total.rightFlagged}/${total.clipsRight}`);
  const q = (xs: number[]) => (xs.length ? [0, 0.05, 0.25, 0.5].map((x) => quantile(xs, x).toFixed(1)).join(' / ') : '–');
  console.log(`second-pass margin (frames), min / 5% / 25% / median: boundaries in the pause ${q(total.marginsRight)}; outside it ${q(total.marginsWrong)} [${total.marginsWrong.map((x) => x.toFixed(1)).join(', ')}]; flagged below ${CLEAR_FRAMES}`);
  const below = (x: number) => total.marginsRight.filter((m) => m < x).length;
  console.log(`boundaries in the pause with a margin below 3 / 5 / 8 frames: ${below(3)} / ${below(5)} / ${below(8)} of ${total.marginsRight.length}`);
  console.log(`distance of segment edges to the true speech edges: median ${(quantile(total.edgeErrors, 0.5) * 1000).toFixed(0)} ms, 95th percentile ${(quantile(total.edgeErrors, 0.95) * 1000).toFixed(0)} ms`);
  console.log(`speed: ${(total.audioSeconds / total.wallSeconds).toFixed(1)}× real time wall clock, ${(total.audioSeconds / total.cpuSeconds).toFixed(1)}× per CPU-second (${(total.audioSeconds / 60).toFixed(1)} min of audio; the machine's load counts in the wall figure)   target ≥ 20×`);
  const out = argOf('json');
  if (out) await fs.writeFile(out, JSON.stringify(report, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

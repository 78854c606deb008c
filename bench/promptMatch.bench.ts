/**
 * `npm run bench:prompt-match`: calibrates record/promptMatch.ts, the check that a take says its prompt.
 * Takes go through record.saveTake exactly as from the microphone. Right: LJSpeech clips (../shared/data/lj-small,
 * skipped when absent) and takes spoken by other espeak-ng voices, each with its own prompt. Wrong: the same audio
 * against another prompt of the set (the next one), and the first half of the audio with the whole prompt.
 * Prints each group's distance and duration-ratio distribution and how many the thresholds flag.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeWav, downmix, encodeWav } from '../shared/dsp/wav';
import { ESPEAK_SAMPLE_RATE, synthesizeTexts } from '../electron/services/align/espeakSynth';
import { createProject } from '../electron/services/projectStore';
import { DURATION_RATIO_RANGE, MAX_DISTANCE, preparePrompts } from '../electron/services/record/promptMatch';
import { saveTake } from '../electron/services/record/saveTake';

interface Take { text: string; samples: Float32Array; rate: number; from: string }
const takes: Take[] = [];
const lj = path.resolve('../shared/data/lj-small');
if (existsSync(path.join(lj, 'metadata.csv'))) {
  for (const line of readFileSync(path.join(lj, 'metadata.csv'), 'utf8').split('\n').filter(Boolean)) {
    const [id, , text] = line.split('|');
    const wav = decodeWav(readFileSync(path.join(lj, 'wavs', `${id}.wav`)));
    takes.push({ text: text!, samples: downmix(wav.channels), rate: wav.sampleRate, from: 'lj' });
  }
} else console.log('../shared/data/lj-small absent: espeak voices only');
const prompts = readFileSync('resources/prompts/en-public-domain.txt', 'utf8').split('\n').filter((l) => l.trim()).slice(0, 24);
for (const [voice, wpm] of [['en-gb+f3', 145], ['en-us+m3', 190], ['en-gb-x-rp', 160]] as const) {
  const audio = await synthesizeTexts(prompts.filter((_, i) => i % 3 === takes.length % 3 || voice === 'en-gb+f3'), { voice, wordsPerMinute: wpm });
  const texts = prompts.filter((_, i) => i % 3 === takes.length % 3 || voice === 'en-gb+f3');
  texts.forEach((text, i) => takes.push({ text, samples: audio[i]!, rate: ESPEAK_SAMPLE_RATE, from: `espeak ${voice} ${wpm}` }));
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'formant-bench-match-'));
type Row = { group: string; from: string; distance: number; ratio: number; flagged: boolean };
const rows: Row[] = [];
try {
  await createProject(dir);
  await preparePrompts([...new Set(takes.map((t) => t.text))]);
  const pad = (x: Float32Array, rate: number) => {
    const out = new Float32Array(x.length + rate);
    out.set(x, Math.round(rate / 2));
    for (let i = 0; i < out.length; i++) out[i]! += (Math.random() - 0.5) * 2e-4;
    return out;
  };
  const check = async (group: string, t: Take, samples: Float32Array, text: string) => {
    const r = await saveTake(dir, { text, wav: encodeWav(pad(samples, t.rate), t.rate) });
    const m = r.promptMatch!;
    rows.push({ group, from: t.from, distance: m.distance, ratio: m.durationRatio, flagged: m.mismatch });
  };
  for (let i = 0; i < takes.length; i++) {
    const t = takes[i]!;
    await check('right', t, t.samples, t.text);
    const other = takes.find((o, k) => k > i && o.text !== t.text && o.from === t.from) ?? takes.find((o) => o.text !== t.text)!;
    await check('other prompt', t, t.samples, other.text);
    await check('half cut off', t, t.samples.subarray(0, t.samples.length >> 1), t.text);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(3)} p10 ${q(s, 0.1).toFixed(3)} median ${q(s, 0.5).toFixed(3)} p90 ${q(s, 0.9).toFixed(3)} max ${s[s.length - 1]!.toFixed(3)}`;
};
console.log(`thresholds: distance > ${MAX_DISTANCE}, duration ratio outside ${DURATION_RATIO_RANGE.join('–')}`);
for (const group of ['right', 'other prompt', 'half cut off'])
  for (const from of ['lj', 'espeak']) {
    const g = rows.filter((r) => r.group === group && r.from.startsWith(from));
    if (!g.length) continue;
    console.log(`${group.padEnd(13)} ${from.padEnd(6)} n=${g.length} flagged ${g.filter((r) => r.flagged).length}: distance ${stats(g.map((r) => r.distance))}; ratio ${stats(g.map((r) => r.ratio))}`);
  }
if (process.argv.includes('--rows')) for (const r of rows) console.log(r.group, r.from, r.distance, r.ratio, r.flagged);

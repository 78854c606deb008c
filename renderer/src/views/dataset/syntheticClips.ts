import type { ClipRecord, ClipStatus, QaFlag } from '../../../../shared/contract/manifest';

/**
 * Deterministic synthetic clip lists for specs and benchmarks (10 000 clips in a few ms):
 * varied durations, transcripts, statuses and QA flags, ids like LJ-style "clip00042".
 */
const WORDS = 'the quick brown fox jumps over a lazy dog while printing presses hum in the old city of london at dawn'.split(' ');
const STATUSES: ClipStatus[] = ['untranscribed', 'transcribed', 'reviewed', 'rejected'];
const FLAGS: QaFlag[] = ['clipping', 'low-snr', 'too-fast', 'quiet', 'long-silence'];

export function syntheticClips(n: number, seed = 1): ClipRecord[] {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const now = '2026-11-25T00:00:00.000Z';
  const out: ClipRecord[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    const speech = 0.5 + rand() * 14;
    const status = STATUSES[Math.floor(rand() * STATUSES.length)];
    const text = status === 'untranscribed' ? null : Array.from({ length: 3 + Math.floor(rand() * 12) }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
    const flags = FLAGS.filter(() => rand() < 0.06);
    out.push({
      id: `clip${String(i).padStart(5, '0')}`,
      sourceId: `src${Math.floor(i / 100)}`,
      sourceStart: t,
      sourceEnd: t + speech,
      wav: `wavs/clip${String(i).padStart(5, '0')}.wav`,
      durationSeconds: speech + 1,
      text,
      status,
      origin: 'import',
      qa: {
        durationSeconds: speech + 1,
        peakDbfs: -3 - rand() * 10,
        clippingRatio: flags.includes('clipping') ? 0.01 : 0,
        rmsDbfs: -20 - rand() * 10,
        snrDb: 10 + rand() * 40,
        leadingSilenceSeconds: 0.5,
        trailingSilenceSeconds: 0.5,
        charsPerSecond: text ? text.length / speech : null,
        flags,
      },
      createdAt: now,
      updatedAt: now,
    });
    t += speech + 0.3;
  }
  return out;
}

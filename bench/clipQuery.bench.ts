/**
 * Timing of the clip table's filter+sort on 10 000 synthetic clips (a benchmark, not a test):
 *   npm run bench:query [-- <clips>]
 * "cold" = a freshly loaded manifest (new clip objects); "interactive" = the same clips with a new
 * query (typing in the search box, toggling a filter, clicking a column). Target: < 50 ms.
 */
import { EMPTY_QUERY, queryClips, type ClipQuery, type SortKey } from '../renderer/src/views/dataset/clipQuery';
import { syntheticClips } from '../renderer/src/views/dataset/syntheticClips';

const limits = { minClipSeconds: 1, maxClipSeconds: 12 };
const n = Number(process.argv[2] ?? 10_000);
const base = syntheticClips(n, 3);
const query: ClipQuery = { ...EMPTY_QUERY, flags: ['too-long', 'untranscribed', 'clipping'], search: 'the', sort: { key: 'text', dir: 'desc' } };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f: () => void) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

queryClips(syntheticClips(n, 4), query, limits); // JIT warm-up
const cold = Array.from({ length: 7 }, () => {
  const fresh = base.map((c) => ({ ...c }));
  return time(() => queryClips(fresh, query, limits));
});
const keys: SortKey[] = ['text', 'duration', 'id', 'status', 'flags', 'snr', 'cps'];
const searches = ['the', 'fox', 'qu', 'a', '', 'london dawn', 'clip0'];
const interactive = keys.map((key, i) => time(() => queryClips(base, { ...query, search: searches[i], sort: { key, dir: 'desc' } }, limits)));
console.log(`clip query, ${n} clips: cold median ${median(cold).toFixed(1)} ms (max ${Math.max(...cold).toFixed(1)}), interactive median ${median(interactive).toFixed(1)} ms (max ${Math.max(...interactive).toFixed(1)})`);

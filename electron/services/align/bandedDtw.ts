/**
 * Dynamic time warping of a block of synthetic frames against a window of real frames,
 * restricted to a Sakoe-Chiba band around a straight line of slope `slope` from the start
 * corner. The start is anchored (both sequences start together: the caller commits an anchor
 * and starts the next block from it); the end is open on the real side, so the block may end
 * anywhere in the real window. Memory: one byte of back-pointer per band cell plus two rows of
 * costs, so a block of B frames with radius w uses B·(2w+1) bytes whatever the recording length.
 *
 * Step pattern "symmetric2" (Sakoe & Chiba 1978): a diagonal step costs 2·d, a horizontal or
 * vertical one d, so the cost of a path is comparable across end points after dividing by
 * (i + j + 2).
 */
export interface Frames {
  /** Row-major [frames][dim]. */
  data: Float32Array;
  dim: number;
  frames: number;
}

export interface BandedDtwInput {
  synth: Frames;
  /** First synthetic frame of the block and one past its last. */
  s0: number;
  s1: number;
  real: Frames;
  /** First real frame of the window and one past its last. */
  r0: number;
  r1: number;
  /** Expected real frames per synthetic frame. */
  slope: number;
  /** Half-width of the band, in real frames. */
  radius: number;
  /** Whether the path must end at the last real frame of the window too (the recording's end). */
  closedEnd?: boolean;
  /**
   * Open begin: the path may start at any real frame of the first row, paying this much per real
   * frame skipped (speech before the first sentence of the text is left out, not forced into it).
   */
  skipCost?: number;
  /**
   * Open end that does not come for free: per real frame of the window (index j = frame − r0), 1 where
   * it is speech. Each speech frame the path leaves out after its end costs `endSkipCost`, as if it had
   * been matched at that distance; so the path no longer ends early by piling the last sentence onto a
   * few frames when the speaker's voice matches espeak's poorly everywhere (an end that cut a 6 s
   * sentence to 0.5 s), while talk after the text that matches it worse than that is still left out.
   */
  endSpeech?: Uint8Array;
  endSkipCost?: number;
}

export interface BandedDtwPath {
  /** For each synthetic frame s0..s1-1 (index i = s − s0): first and last real frame (absolute) matched to it. */
  realFrom: Int32Array;
  realTo: Int32Array;
  /** For each synthetic frame: the mean local distance of the cells of the path in that row. */
  rowCost: Float32Array;
  /** Normalized cost of the whole path. */
  cost: number;
}

const DIAG = 0;
const UP = 1; // from (i-1, j): the synthetic advances, the real stays
const LEFT = 2; // from (i, j-1): the real advances, the synthetic stays
const START = 3; // the path starts here (open begin)

export function bandedDtw(inp: BandedDtwInput): BandedDtwPath {
  const { synth, real, s0, s1, r0, r1, slope, radius } = inp;
  const n = s1 - s0;
  const m = r1 - r0;
  if (n <= 0 || m <= 0) throw new Error(`bandedDtw: empty block (${n} synthetic × ${m} real frames)`);
  const dim = synth.dim;
  // Band limits per row, monotone non-decreasing, and touching the previous row so a path exists.
  const lo = new Int32Array(n);
  const hi = new Int32Array(n); // inclusive
  const rowStart = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const c = i * slope;
    let a = Math.max(0, Math.floor(c - radius));
    let b = Math.min(m - 1, Math.ceil(c + radius));
    if (i === 0) a = 0;
    if (i > 0) {
      a = Math.max(a, lo[i - 1]!);
      a = Math.min(a, hi[i - 1]! + 1 > m - 1 ? m - 1 : hi[i - 1]! + 1);
      b = Math.max(b, hi[i - 1]!);
    }
    if (i === n - 1 && inp.closedEnd) b = m - 1;
    if (b < a) b = a;
    lo[i] = a;
    hi[i] = b;
    rowStart[i + 1] = rowStart[i]! + (b - a + 1);
  }
  const cells = rowStart[n]!;
  const back = new Uint8Array(cells);
  const local = new Float32Array(cells);
  let prev = new Float64Array(m);
  let cur = new Float64Array(m);
  prev.fill(Infinity);
  cur.fill(Infinity);
  const sd = synth.data;
  const rd = real.data;
  for (let i = 0; i < n; i++) {
    const a = lo[i]!;
    const b = hi[i]!;
    const so = (s0 + i) * dim;
    const base = rowStart[i]!;
    const pa = i > 0 ? lo[i - 1]! : 0;
    const pb = i > 0 ? hi[i - 1]! : -1;
    for (let j = a; j <= b; j++) {
      const ro = (r0 + j) * dim;
      let d = 0;
      for (let k = 0; k < dim; k++) {
        const x = sd[so + k]! - rd[ro + k]!;
        d += x * x;
      }
      d = Math.sqrt(d);
      local[base + j - a] = d;
      let best: number;
      let from: number;
      if (i === 0 && j === 0) {
        best = d;
        from = DIAG;
      } else {
        const diag = i > 0 && j > 0 && j - 1 >= pa && j - 1 <= pb ? prev[j - 1]! + 2 * d : Infinity;
        const up = i > 0 && j >= pa && j <= pb ? prev[j]! + d : Infinity;
        const left = j > a ? cur[j - 1]! + d : Infinity;
        best = diag;
        from = DIAG;
        if (i === 0 && inp.skipCost != null && inp.skipCost * j + d < best) {
          best = inp.skipCost * j + d;
          from = START;
        }
        if (up < best) {
          best = up;
          from = UP;
        }
        if (left < best) {
          best = left;
          from = LEFT;
        }
      }
      cur[j] = best;
      back[base + j - a] = from;
    }
    // The next row reads this one only inside [lo[i], hi[i]] (checked above), so no reset is needed.
    const t = prev;
    prev = cur;
    cur = t;
  }
  // `prev` now holds the last row.
  const last = n - 1;
  let endJ = hi[last]!;
  let endCost = Infinity;
  // Speech frames after each end candidate (with endSpeech): what an end there leaves out.
  const speechAfter = new Int32Array(m + 1);
  if (inp.endSpeech) for (let j = m - 1; j >= 0; j--) speechAfter[j] = speechAfter[j + 1]! + (inp.endSpeech[j] ? 1 : 0);
  const endSkip = inp.endSpeech ? (inp.endSkipCost ?? 0) : 0;
  for (let j = inp.closedEnd ? hi[last]! : lo[last]!; j <= hi[last]!; j++) {
    const left = speechAfter[j + 1]!;
    const c = (prev[j]! + endSkip * left) / (last + j + 2 + (endSkip ? left : 0));
    if (c < endCost) {
      endCost = c;
      endJ = j;
    }
  }
  const realFrom = new Int32Array(n).fill(-1);
  const realTo = new Int32Array(n).fill(-1);
  const rowSum = new Float64Array(n);
  const rowCount = new Int32Array(n);
  let i = last;
  let j = endJ;
  for (;;) {
    if (realTo[i] === -1) realTo[i] = r0 + j;
    realFrom[i] = r0 + j;
    const at = rowStart[i]! + j - lo[i]!;
    rowSum[i] += local[at]!;
    rowCount[i]++;
    if (i === 0 && j === 0) break;
    const step = back[at];
    if (step === START) break;
    if (step === DIAG) {
      i--;
      j--;
    } else if (step === UP) i--;
    else j--;
  }
  const rowCost = new Float32Array(n);
  for (let r = 0; r < n; r++) rowCost[r] = rowSum[r]! / Math.max(1, rowCount[r]!);
  return { realFrom, realTo, rowCost, cost: endCost };
}

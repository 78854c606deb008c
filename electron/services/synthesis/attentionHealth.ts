/**
 * Attention health of one decoded sentence, from its alignment matrix (decoder steps × input symbols).
 *
 * Tacotron-2 fails in three recognisable ways; each shows in the alignment:
 *  - no monotonic progress: the attention peak jumps backwards or stalls (repeats, mumbling);
 *  - runaway decoding: the stop token never fires and decoding hits the step limit (babble at the end);
 *  - early stop: the stop token fires before the last symbols were attended (words cut off).
 */
export type AttentionIssue = 'no-monotonic-progress' | 'runaway' | 'early-stop';

export type StopReason = 'gate' | 'max-steps';

export interface AttentionMetrics {
  steps: number;
  symbols: number;
  /** Share of steps whose peak did not move backwards by more than the tolerance (1 = perfectly monotonic). */
  monotonicity: number;
  /** Largest backward jump of the peak, in symbols. */
  maxBackwardJump: number;
  /**
   * Share of the symbols up to the furthest peak that were the peak of some step, or skipped over by a
   * forward move of ≤ 3 symbols (low when attention starts at or jumps to the end instead of walking there).
   */
  coverage: number;
  /** Highest symbol index the peak reached (0-based). */
  furthestPeak: number;
  /** Mean of the per-step maximum weight: ~1 for a sharp, confident alignment, ~1/T for a diffuse one. */
  meanFocus: number;
  /** Decoder steps per input symbol (speaking rate as the model sees it). */
  stepsPerSymbol: number;
}

export interface AttentionHealth {
  ok: boolean;
  issues: AttentionIssue[];
  metrics: AttentionMetrics;
  /** One line per issue, for logs and the result. */
  notes: string[];
}

export interface AttentionHealthOptions {
  /** Backward moves of the peak up to this many symbols are tolerated (attention wobbles on spaces and punctuation). */
  backwardTolerance?: number;
  /** Below this monotonicity the sentence is flagged. */
  minMonotonicity?: number;
  /** The furthest peak must reach at least symbols − endMargin (the last symbols are punctuation / EOS). */
  endMargin?: number;
  /** Below this coverage the sentence is flagged as not progressing (attention stuck in one place). */
  minCoverage?: number;
}

/**
 * @param alignment row-major [steps][symbols]
 */
export function attentionHealth(
  alignment: Float32Array,
  steps: number,
  symbols: number,
  stopReason: StopReason,
  opts: AttentionHealthOptions = {},
): AttentionHealth {
  if (alignment.length !== steps * symbols) {
    throw new RangeError(`alignment has ${alignment.length} values, expected ${steps}×${symbols}`);
  }
  const tol = opts.backwardTolerance ?? 2;
  const minMono = opts.minMonotonicity ?? 0.9;
  const endMargin = opts.endMargin ?? Math.max(2, Math.round(symbols * 0.1));
  const minCoverage = opts.minCoverage ?? 0.6;

  const peaks = new Int32Array(steps);
  let focus = 0;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    let bestW = -Infinity;
    const row = t * symbols;
    for (let j = 0; j < symbols; j++) {
      const w = alignment[row + j];
      if (w > bestW) {
        bestW = w;
        best = j;
      }
    }
    peaks[t] = best;
    focus += Math.max(0, bestW);
  }

  let monotoneSteps = 0;
  let maxBack = 0;
  let runningMax = steps ? peaks[0] : 0;
  const visited = new Uint8Array(symbols);
  if (steps) visited[peaks[0]] = 1;
  for (let t = 1; t < steps; t++) {
    const back = runningMax - peaks[t];
    if (back <= tol) monotoneSteps++;
    maxBack = Math.max(maxBack, back);
    // A forward move of a few symbols within one step is normal (fast speech, r > 1): count those as covered.
    const from = peaks[t - 1];
    const to = peaks[t];
    if (to > from && to - from <= 3) for (let j = from; j <= to; j++) visited[j] = 1;
    visited[to] = 1;
    runningMax = Math.max(runningMax, peaks[t]);
  }
  const monotonicity = steps > 1 ? monotoneSteps / (steps - 1) : 1;
  const furthestPeak = steps ? runningMax : -1;
  // Coverage of the part that was reached (0..furthestPeak): an early stop is judged separately.
  let covered = 0;
  for (let j = 0; j <= furthestPeak; j++) covered += visited[j];
  const coverage = furthestPeak >= 0 ? covered / (furthestPeak + 1) : 0;

  const metrics: AttentionMetrics = {
    steps,
    symbols,
    monotonicity,
    maxBackwardJump: maxBack,
    coverage,
    furthestPeak,
    meanFocus: steps ? focus / steps : 0,
    stepsPerSymbol: symbols ? steps / symbols : 0,
  };

  const issues: AttentionIssue[] = [];
  const notes: string[] = [];
  if (stopReason === 'max-steps') {
    issues.push('runaway');
    notes.push(`runaway decoding: the stop token never fired within ${steps} decoder steps (${metrics.stepsPerSymbol.toFixed(1)} per symbol)`);
  }
  if (monotonicity < minMono || coverage < minCoverage) {
    issues.push('no-monotonic-progress');
    notes.push(
      `attention did not walk through the text: ${(coverage * 100).toFixed(0)}% of the symbols it reached were attended (need ${(minCoverage * 100).toFixed(0)}%), ` +
        `${(monotonicity * 100).toFixed(0)}% of steps without a backward jump (need ${(minMono * 100).toFixed(0)}%), largest backward jump ${maxBack} symbols`,
    );
  }
  if (stopReason === 'gate' && furthestPeak < symbols - 1 - endMargin) {
    issues.push('early-stop');
    notes.push(`early stop: decoding ended at symbol ${furthestPeak + 1} of ${symbols}`);
  }
  return { ok: issues.length === 0, issues, metrics, notes };
}

/** Orders two attempts: fewer issues first, then more coverage, then more monotonic. Negative when a is better. */
export function compareHealth(a: AttentionHealth, b: AttentionHealth): number {
  if (a.issues.length !== b.issues.length) return a.issues.length - b.issues.length;
  if (a.metrics.coverage !== b.metrics.coverage) return b.metrics.coverage - a.metrics.coverage;
  return b.metrics.monotonicity - a.metrics.monotonicity;
}

import type { ProjectAlignmentReport } from '../../../../shared/contract/alignmentReport';
import type { ClipRecord } from '../../../../shared/contract/manifest';

/**
 * Does a clip's transcript fit its audio, by the duration model's alignment report (dataset.alignmentReport)?
 * Pure functions over the report and a clip, for the table cell, its tooltip, the filter and the sort.
 *
 *  - flagged: the report (settled) flags it: the trained voice could not match the transcript to the recording;
 *  - fits: measured and not flagged;
 *  - forming: measured, but the report is from before the alignment settled (nothing is flagged yet);
 *  - not-measured: the report does not hold the clip (not exported, added or split since) or there is no report.
 *    Never shown as fine: nobody checked it.
 */
export type FitState = 'flagged' | 'fits' | 'forming' | 'not-measured';

export interface ClipFit {
  state: FitState;
  /** Short cell text. */
  label: string;
  /** Tooltip in plain words. */
  title: string;
}

const runName = (r: ProjectAlignmentReport) => r.runDir.split(/[\\/]/).filter(Boolean).pop() ?? r.runDir;

/** "step 1200 of run voice" */
export function measuredWhere(r: ProjectAlignmentReport): string {
  return `step ${r.step} of run ${runName(r)}`;
}

export function clipFit(report: ProjectAlignmentReport | null, clip: ClipRecord): ClipFit {
  if (!report) return { state: 'not-measured', label: '—', title: 'Not measured: no duration-model (FastPitch) run on this project’s export has written an alignment report yet.' };
  const score = report.clips[clip.id];
  if (!score) {
    return {
      state: 'not-measured',
      label: 'not measured',
      title: `Not measured: this clip was not in the dataset ${measuredWhere(report)} trained on (left out of the export, or added, split or renamed since). Export and train again to check it.`,
    };
  }
  const edited = Date.parse(clip.updatedAt) > Date.parse(report.measuredAt) ? ' The clip was edited after this measurement; train again to check it anew.' : '';
  if (!report.settled) {
    return { state: 'forming', label: 'forming', title: `Measured at ${measuredWhere(report)}, while the alignment was still forming: nothing is flagged until it settles.${edited}` };
  }
  if (score.flagged) {
    return {
      state: 'flagged',
      label: 'text ≠ audio?',
      title:
        `The trained voice could not match this transcript to the recording — check the words: ` +
        (score.reasons.length ? `${score.reasons.join('; ')}.` : 'a missing, extra or wrong word, another sentence, or speech cut off.') +
        ` Measured at ${measuredWhere(report)} (${score.z.toFixed(1)} robust deviations from a typical clip).${edited}`,
    };
  }
  return { state: 'fits', label: 'fits', title: `Text and audio matched as well as the dataset's typical clip (${measuredWhere(report)}).${edited}` };
}

/** The clips the report flags (filter "Text ≠ audio?"). */
export function isMisaligned(report: ProjectAlignmentReport | null, id: string): boolean {
  return !!report?.settled && !!report.clips[id]?.flagged;
}

/**
 * Sort value, ascending = look at these first: flagged clips (worst first), then measured ones from worst to best
 * fit, then the unmeasured.
 */
export function fitSortValue(report: ProjectAlignmentReport | null, id: string): number {
  const s = report?.clips[id];
  if (!s) return Number.POSITIVE_INFINITY;
  return (isMisaligned(report, id) ? -1e6 : 0) - s.z;
}

/** Number of flagged clips among `clips` (the chip's count). */
export function countMisaligned(report: ProjectAlignmentReport | null, clips: readonly ClipRecord[]): number {
  if (!report?.settled) return 0;
  let n = 0;
  for (const c of clips) if (report.clips[c.id]?.flagged) n++;
  return n;
}

/** One line about the report for the toolbar. */
export function reportSummary(report: ProjectAlignmentReport | null): string {
  if (!report) return 'No alignment report yet: train a duration model (FastPitch) on this project’s export to check every transcript against its audio.';
  if (!report.settled) return `Alignment report of ${measuredWhere(report)}: still forming, nothing flagged yet.`;
  return `Alignment report of ${measuredWhere(report)} (${report.model}): ${report.flagged.length} clip${report.flagged.length === 1 ? '' : 's'} whose text and audio disagree.`;
}

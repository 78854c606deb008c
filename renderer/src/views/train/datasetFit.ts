import type { DatasetFit } from '../../../../shared/contract/training';
import { formatLength } from '../../components/format';

/**
 * The line the Train view shows under the configuration before Start: how much of the dataset the chosen
 * configuration trains on, and why the rest is left out (issue 19: the tiny preset silently dropped most
 * clips). Pure, so the wording is tested without a DOM.
 */
export const formatAudioLength = formatLength;

export interface FitLine {
  text: string;
  /** True when clips are left out (shown as a warning), or none is left. */
  warn: boolean;
}

export function datasetFitLine(fit: DatasetFit, config: string): FitLine {
  const why: string[] = [];
  if (fit.tooLong) why.push(`${fit.tooLong} ${fit.tooLong === 1 ? 'is' : 'are'} longer than ${fit.maxWavSeconds} s, the ${config === 'tiny' || config === 'default' ? `${config} config’s` : 'config’s'} limit`);
  if (fit.tooFewFrames) why.push(`${fit.tooFewFrames} ${fit.tooFewFrames === 1 ? 'has' : 'have'} more symbols than mel frames`);
  if (fit.unreadable) why.push(`${fit.unreadable} WAV${fit.unreadable === 1 ? ' is' : 's are'} missing or unreadable`);
  const hint = fit.tooLong && config === 'tiny' ? ' The default config takes clips up to 12 s.' : '';
  const unchecked = fit.symbolsChecked ? '' : ' (symbols are counted once phonemes.csv is written)';
  if (fit.usable === fit.clips) return { text: `Trains on all ${fit.clips} clips (${formatAudioLength(fit.usableSeconds)})${unchecked}.`, warn: false };
  if (fit.usable === 0) return { text: `None of the ${fit.clips} clips can be used: ${why.join('; ')}.${hint}`, warn: true };
  return {
    text: `Trains on ${fit.usable} of ${fit.clips} clips (${formatAudioLength(fit.usableSeconds)} of ${formatAudioLength(fit.seconds)}): ${why.join('; ')}${unchecked}.${hint}`,
    warn: true,
  };
}

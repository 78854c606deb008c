import type { ExportResult } from '../../../../shared/contract/dataset';

/**
 * What an export result says beyond its counts, one line each: clips left out (by reason), WAVs of an
 * earlier export into the same folder that were removed because their clips are no longer exported,
 * and the export's warnings. Empty when there is nothing to say.
 */
export function exportNotes(result: ExportResult): string[] {
  const notes: string[] = [];
  const left = Object.entries(result.excluded).filter(([, n]) => n > 0);
  if (left.length) notes.push(`Left out: ${left.map(([reason, n]) => `${n} ${reason}`).join(', ')}`);
  if (result.removedStale > 0) {
    const n = result.removedStale;
    notes.push(`Removed ${n} WAV${n === 1 ? '' : 's'} of an earlier export into this folder whose clip${n === 1 ? ' is' : 's are'} no longer exported (deleted, rejected or untranscribed since)`);
  }
  notes.push(...result.warnings);
  return notes;
}

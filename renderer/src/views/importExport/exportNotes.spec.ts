import { describe, expect, it } from 'vitest';
import { exportNotes } from './exportNotes';

const base = { outDir: '/tmp/x', exported: 4, train: 3, val: 1, excluded: {}, seconds: 12, removedStale: 0, warnings: [] };

describe('exportNotes', () => {
  it('says nothing about a clean export', () => {
    expect(exportNotes(base)).toEqual([]);
  });

  it('names the clips left out by reason, the stale WAVs removed, and every warning', () => {
    const notes = exportNotes({
      ...base,
      excluded: { rejected: 2, untranscribed: 0, 'empty-transcript': 1 },
      removedStale: 3,
      warnings: ['1 WAV(s) of the earlier export changed since and were kept although their clips are no longer exported: b07'],
    });
    expect(notes).toEqual([
      'Left out: 2 rejected, 1 empty-transcript',
      'Removed 3 WAVs of an earlier export into this folder whose clips are no longer exported (deleted, rejected or untranscribed since)',
      '1 WAV(s) of the earlier export changed since and were kept although their clips are no longer exported: b07',
    ]);
  });

  it('speaks of one removed WAV in the singular', () => {
    expect(exportNotes({ ...base, removedStale: 1 })[0]).toMatch(/^Removed 1 WAV of .* whose clip is no longer exported/);
  });
});

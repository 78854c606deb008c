import { describe, expect, it } from 'vitest';
import type { ProjectAlignmentReport } from '../../../../shared/contract/alignmentReport';
import { EMPTY_QUERY, queryClips } from './clipQuery';
import { syntheticClips } from './syntheticClips';
import { clipFit, countMisaligned, fitSortValue, reportSummary } from './textAudioFit';

const clips = syntheticClips(6, 3);
const [a, b, c, d] = clips;
const report = (over: Partial<ProjectAlignmentReport> = {}): ProjectAlignmentReport => ({
  runDir: '/p/runs/voice',
  model: 'fastpitch',
  step: 1200,
  settled: true,
  measure: 'forward-sum loss per symbol',
  measuredAt: '2099-01-01T00:00:00.000Z',
  datasetDir: '/p/export/ljspeech',
  flagged: [c.id, b.id],
  clips: {
    [a.id]: { loss: 1.1, focus: 0.8, z: 0.2, flagged: false, reasons: [] },
    [b.id]: { loss: 2.9, focus: 0.4, z: 4.1, flagged: true, reasons: [] },
    [c.id]: { loss: 3.5, focus: 0.3, z: 7.5, flagged: true, reasons: ['one sound of the transcript would last 86 frames: the audio holds speech the transcript has no words for'] },
    [d.id]: { loss: 1.3, focus: 0.7, z: 1.5, flagged: false, reasons: [] },
  },
  ...over,
});

describe('text vs audio of a clip, by the alignment report', () => {
  it('flags what the report flags, with a plain-words tooltip naming step and run; unlisted clips are not measured, not fine', () => {
    const r = report();
    expect(clipFit(r, c)).toMatchObject({ state: 'flagged', label: 'text ≠ audio?' });
    expect(clipFit(r, c).title).toMatch(/could not match this transcript to the recording — check the words: one sound of the transcript would last 86 frames.*step 1200 of run voice/);
    expect(clipFit(r, b).title).toMatch(/check the words: a missing, extra or wrong word/); // no reason recorded: the general advice
    expect(clipFit(r, a)).toMatchObject({ state: 'fits' });
    expect(clipFit(r, clips[4])).toMatchObject({ state: 'not-measured', label: 'not measured' });
    expect(clipFit(null, a)).toMatchObject({ state: 'not-measured' });
    expect(clipFit(r, c).title).not.toMatch(/edited after/);
    expect(clipFit({ ...r, measuredAt: '2000-01-01T00:00:00.000Z' }, c).title).toMatch(/edited after this measurement/);
  });

  it('a report from before the alignment settled flags nothing', () => {
    const r = report({ settled: false });
    expect(clipFit(r, c).state).toBe('forming');
    expect(countMisaligned(r, clips)).toBe(0);
    expect(queryClips(clips, { ...EMPTY_QUERY, misaligned: true }, undefined, r)).toEqual([]);
    expect(reportSummary(r)).toMatch(/still forming/);
  });

  it('filters to the flagged clips and sorts them first, worst first, the unmeasured last', () => {
    const r = report();
    expect(countMisaligned(r, clips)).toBe(2);
    expect(queryClips(clips, { ...EMPTY_QUERY, misaligned: true }, undefined, r).map((x) => x.id).sort()).toEqual([b.id, c.id].sort());
    const sorted = queryClips(clips, { ...EMPTY_QUERY, sort: { key: 'fit', dir: 'asc' } }, undefined, r).map((x) => x.id);
    expect(sorted.slice(0, 4)).toEqual([c.id, b.id, d.id, a.id]);
    expect(fitSortValue(r, clips[5].id)).toBe(Number.POSITIVE_INFINITY);
    // without a report the filter shows nothing and the query is otherwise unchanged
    expect(queryClips(clips, { ...EMPTY_QUERY, misaligned: true }, undefined, null)).toEqual([]);
    expect(queryClips(clips, EMPTY_QUERY)).toEqual(queryClips(clips, EMPTY_QUERY, undefined, r));
  });
});

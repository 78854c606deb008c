import { describe, expect, it } from 'vitest';
import { EMPTY_QUERY, clipFlags, nextSort, queryClips, type ClipQuery } from './clipQuery';
import { syntheticClips } from './syntheticClips';

const limits = { minClipSeconds: 1, maxClipSeconds: 12 };
const q = (over: Partial<ClipQuery>): ClipQuery => ({ ...EMPTY_QUERY, ...over });

describe('clipFlags', () => {
  it('derives untranscribed / too-long / too-short from the manifest and drops stale transcript flags', () => {
    const [c] = syntheticClips(1);
    expect(clipFlags({ ...c, text: '  ', qa: undefined })).toContain('untranscribed');
    expect(clipFlags({ ...c, text: 'hello', qa: { ...c.qa!, flags: ['untranscribed', 'clipping'] } })).toEqual(['clipping']);
    expect(clipFlags({ ...c, sourceStart: 0, sourceEnd: 13 }, limits)).toContain('too-long');
    expect(clipFlags({ ...c, sourceStart: 0, sourceEnd: 0.5 }, limits)).toContain('too-short');
  });
});

describe('queryClips', () => {
  const clips = syntheticClips(2000, 7);

  it('ORs flag filters, ORs statuses, ANDs the groups and the search', () => {
    const r = queryClips(clips, q({ flags: ['clipping', 'low-snr'], statuses: ['reviewed'] }), limits);
    expect(r.length).toBeGreaterThan(0);
    for (const c of r) {
      expect(c.status).toBe('reviewed');
      expect(clipFlags(c, limits).some((f) => f === 'clipping' || f === 'low-snr')).toBe(true);
    }
    const expected = clips.filter((c) => c.status === 'reviewed' && clipFlags(c, limits).some((f) => f === 'clipping' || f === 'low-snr'));
    expect(r.length).toBe(expected.length);
  });

  it('searches case-insensitively in transcript and id, all words must match', () => {
    const r = queryClips(clips, q({ search: 'QUICK  fox' }));
    expect(r.length).toBeGreaterThan(0);
    for (const c of r) expect(c.text!.toLowerCase()).toMatch(/quick/);
    for (const c of r) expect(c.text!.toLowerCase()).toMatch(/fox/);
    expect(queryClips(clips, q({ search: 'clip00042' })).map((c) => c.id)).toEqual(['clip00042']);
  });

  it('sorts by duration both ways and by natural id; never mutates the input', () => {
    const before = clips.map((c) => c.id);
    const asc = queryClips(clips, q({ sort: { key: 'duration', dir: 'asc' } }));
    for (let i = 1; i < asc.length; i++) expect(asc[i].durationSeconds).toBeGreaterThanOrEqual(asc[i - 1].durationSeconds);
    const desc = queryClips(clips, q({ sort: { key: 'duration', dir: 'desc' } }));
    expect(desc[0].durationSeconds).toBe(asc[asc.length - 1].durationSeconds);
    const ids = queryClips([{ ...clips[0], id: 'a10' }, { ...clips[1], id: 'a9' }, { ...clips[2], id: 'a100' }], EMPTY_QUERY).map((c) => c.id);
    expect(ids).toEqual(['a9', 'a10', 'a100']);
    expect(clips.map((c) => c.id)).toEqual(before);
  });

  it('handles 10 000 clips: every filtered clip matches, sort order holds (timing: npm run bench:query)', () => {
    const big = syntheticClips(10_000, 3);
    const r = queryClips(big, q({ flags: ['too-long', 'clipping'], search: 'the', sort: { key: 'duration', dir: 'desc' } }), limits);
    expect(r.length).toBeGreaterThan(100);
    for (let i = 1; i < r.length; i++) expect(r[i - 1].durationSeconds).toBeGreaterThanOrEqual(r[i].durationSeconds);
    for (const c of r) expect(c.text).toMatch(/the/i);
  });
});

describe('nextSort', () => {
  it('flips the same column, starts a new one ascending', () => {
    expect(nextSort({ key: 'id', dir: 'asc' }, 'id')).toEqual({ key: 'id', dir: 'desc' });
    expect(nextSort({ key: 'id', dir: 'desc' }, 'duration')).toEqual({ key: 'duration', dir: 'asc' });
  });
});

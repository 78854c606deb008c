import { describe, expect, it } from 'vitest';
import type { ClipRecord, Manifest } from '../../../../shared/contract/manifest';
import { patchClips } from './manifestPatch';

const clip = (id: string, text = id): ClipRecord =>
  ({ id, sourceId: 's', sourceStart: 0, sourceEnd: 1, wav: `wavs/${id}.wav`, durationSeconds: 2, text, status: 'transcribed', origin: 'import', createdAt: '', updatedAt: '' }) as ClipRecord;
const manifest = (ids: string[]) => ({ clips: ids.map((id) => clip(id)) }) as Manifest;
const ids = (m: Manifest) => m.clips.map((c) => c.id);

describe('patchClips', () => {
  it('replaces changed clips in place and drops removed ones', () => {
    const m = patchClips(manifest(['a', 'b', 'c']), { upserted: [clip('b', 'new')], removed: ['c'] });
    expect(ids(m)).toEqual(['a', 'b']);
    expect(m.clips[1].text).toBe('new');
  });
  it('puts the second half of a split right after the first', () => {
    const m = patchClips(manifest(['a', 'b', 'c']), { upserted: [clip('b'), clip('b_2')], removed: [] });
    expect(ids(m)).toEqual(['a', 'b', 'b_2', 'c']);
  });
  it('returns the same manifest when nothing changed; appends orphans', () => {
    const m0 = manifest(['a']);
    expect(patchClips(m0, { upserted: [], removed: [] })).toBe(m0);
    expect(ids(patchClips(m0, { upserted: [clip('z')], removed: [] }))).toEqual(['a', 'z']);
  });
});

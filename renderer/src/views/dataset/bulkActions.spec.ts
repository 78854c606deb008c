import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../../shared/contract/rpc';
import { deleteClips, describeOutcome, markStatus, type BulkApi } from './bulkActions';
import { syntheticClips } from './syntheticClips';

describe('bulk actions', () => {
  const clips = syntheticClips(5);
  const api: BulkApi = {
    'clips.update': async ({ id, status }) => {
      if (id === 'clip00002') throw new ServiceError('locked', 'file is locked');
      return { ...clips.find((c) => c.id === id)!, status: status! };
    },
    'clips.delete': async ({ id }) => ({ deleted: id }),
  };

  it('marks every clip, reports failures and progress without stopping', async () => {
    const progress: number[] = [];
    const o = await markStatus(api, '/p', clips.map((c) => c.id), 'reviewed', (d) => progress.push(d));
    expect(o.done).toBe(4);
    expect(o.failed).toEqual([{ id: 'clip00002', message: 'file is locked' }]);
    expect(o.updated.every((c) => c.status === 'reviewed')).toBe(true);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(describeOutcome('Marked', o)).toBe('Marked 4 clips; 1 failed (clip00002: file is locked)');
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    const o = await deleteClips(api, '/p', ['a', 'b', 'c'], (d) => d === 1 && ac.abort(), ac.signal);
    expect(o).toMatchObject({ done: 1, cancelled: true });
  });
});

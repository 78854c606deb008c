import type { ClipRecord } from '../../../../shared/contract/manifest';
import { ServiceError } from '../../../../shared/contract/rpc';
import type { ClipEditApi } from './editCommands';

/**
 * An in-memory stand-in for the clip-edit service methods, following shared/contract/dataset.ts:
 * split keeps the id on the first half and gives the second a NEW id each time (so specs exercise
 * id renames); merge keeps the first id and joins texts with a space. Durations = region + 2 × pad.
 * For specs only.
 */
export function fakeClipApi(initial: ClipRecord[], pad = 0.5): ClipEditApi & { clips: Map<string, ClipRecord>; calls: string[] } {
  const clips = new Map(initial.map((c) => [c.id, { ...c }]));
  const calls: string[] = [];
  let n = 0;
  const get = (id: string) => {
    const c = clips.get(id);
    if (!c) throw new ServiceError('no-clip', `No clip "${id}"`);
    return c;
  };
  const put = (c: ClipRecord) => {
    const v = { ...c, durationSeconds: c.sourceEnd - c.sourceStart + 2 * pad };
    clips.set(v.id, v);
    return { ...v };
  };
  return {
    clips,
    calls,
    async 'clips.update'({ id, text, status }) {
      calls.push(`update ${id}`);
      const c = get(id);
      return put({ ...c, ...(text !== undefined ? { text } : {}), ...(status ? { status } : {}) });
    },
    async 'clips.setRegion'({ id, sourceStart, sourceEnd }) {
      calls.push(`region ${id}`);
      if (!(sourceStart < sourceEnd)) throw new ServiceError('bad-region', 'empty region');
      return put({ ...get(id), sourceStart, sourceEnd });
    },
    async 'clips.split'({ id, at, texts }) {
      calls.push(`split ${id}`);
      const c = get(id);
      if (!(at > c.sourceStart && at < c.sourceEnd)) throw new ServiceError('bad-split', 'split point outside the clip');
      const [t1, t2] = texts ?? [c.text, null];
      const a = put({ ...c, sourceEnd: at, text: t1, status: t1 ? 'transcribed' : 'untranscribed' });
      const b = put({ ...c, id: `${id}_s${++n}`, wav: `wavs/${id}_s${n}.wav`, sourceStart: at, text: t2, status: t2 ? 'transcribed' : 'untranscribed' });
      return { clips: [a, b] as [ClipRecord, ClipRecord] };
    },
    async 'clips.merge'({ id }) {
      calls.push(`merge ${id}`);
      const c = get(id);
      const next = [...clips.values()].filter((x) => x.sourceId === c.sourceId && x.sourceStart >= c.sourceEnd).sort((x, y) => x.sourceStart - y.sourceStart)[0];
      if (!next) throw new ServiceError('no-next-clip', `"${id}" has no next clip`);
      clips.delete(next.id);
      const text = [c.text, next.text].filter(Boolean).join(' ') || null;
      return put({ ...c, sourceEnd: next.sourceEnd, text });
    },
  };
}

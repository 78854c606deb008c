import type { ClipRecord, Manifest } from '../../../../shared/contract/manifest';
import type { EditResult } from './editCommands';

/**
 * Applies what an edit returned to the renderer's copy of the manifest, so the table and the
 * editor update without reloading formant.json. Pure: returns a new manifest (or the same one
 * when nothing changed).
 *
 * Order: changed clips stay where they were; new clips (the second half of a split) go right
 * after the clip they were made from (the previous upserted clip), else at the end; removed ids go away.
 */
export function patchClips(m: Manifest, r: Pick<EditResult, 'upserted' | 'removed'>): Manifest {
  if (!r.upserted.length && !r.removed.length) return m;
  const removed = new Set(r.removed);
  const existing = new Set(m.clips.map((c) => c.id));
  const placed = new Set<string>();
  const out: ClipRecord[] = [];
  for (const c of m.clips) {
    const i = r.upserted.findIndex((u) => u.id === c.id);
    if (i < 0) {
      if (!removed.has(c.id)) out.push(c);
      continue;
    }
    out.push(r.upserted[i]);
    placed.add(c.id);
    // New clips listed right after this one in the result (a split's second half) follow it.
    for (let j = i + 1; j < r.upserted.length && !existing.has(r.upserted[j].id); j++) {
      out.push(r.upserted[j]);
      placed.add(r.upserted[j].id);
    }
  }
  for (const u of r.upserted) if (!placed.has(u.id)) out.push(u);
  return { ...m, clips: out };
}

import { CLIP_ID } from '../../../shared/contract/manifest';

/**
 * Clip and source ids: filesystem-safe on every OS, safe inside metadata.csv (no `|`), stable
 * (derived from the file name; a clash is resolved with the content hash, not with import order).
 */

/** File stem → id: characters outside [A-Za-z0-9_.-] become `_`, no leading dot/dash, at most 100 chars. */
export function sanitizeId(stem: string): string {
  let id = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // é → e
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[_.]+$/, '')
    .slice(0, 100);
  if (!id) id = 'clip';
  if (!CLIP_ID.test(id)) id = `c${id}`.slice(0, 100);
  return id;
}

/** `base` if free, else `base-<hash8>` (stable for the same content), else with a counter. */
export function uniqueSourceId(base: string, sha256: string, taken: (id: string) => boolean): string {
  if (!taken(base)) return base;
  const hashed = `${base}-${sha256.slice(0, 8)}`;
  if (!taken(hashed)) return hashed;
  return nextFreeId(hashed, taken);
}

/** `base-2`, `base-3`, … the first that is free. */
export function nextFreeId(base: string, taken: (id: string) => boolean): string {
  if (!taken(base)) return base;
  for (let i = 2; ; i++) {
    const id = `${base}-${i}`;
    if (!taken(id)) return id;
  }
}

/** Ids of the clips a source is split into: the source id alone, or `<id>_001`, `<id>_002`, … */
export function segmentIds(sourceId: string, count: number, taken: (id: string) => boolean): string[] {
  if (count === 1) return [taken(sourceId) ? nextFreeId(sourceId, taken) : sourceId];
  const width = Math.max(3, String(count).length);
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `${sourceId}_${String(i).padStart(width, '0')}`;
    ids.push(taken(id) && !ids.includes(id) ? nextFreeId(id, (x) => taken(x) || ids.includes(x)) : id);
  }
  return ids;
}

import type { Api } from '../../../../shared/contract/index';
import type { ClipRecord } from '../../../../shared/contract/manifest';
import type { Client } from '../../../../shared/contract/rpc';

/**
 * Bulk actions on the selected clips. Each clip is one API call (the service serializes manifest
 * writes anyway), run in order with progress; a failure stops nothing — it is counted and reported,
 * so one locked file does not abandon a 500-clip "mark reviewed".
 * Re-running preprocessing is one job (clips.reprocess) that the jobs panel shows.
 */
export type BulkApi = Pick<Client<Api>, 'clips.update' | 'clips.delete'>;

export interface BulkOutcome {
  done: number;
  failed: Array<{ id: string; message: string }>;
  /** Records the service returned (mark reviewed), to put into the project store. */
  updated: ClipRecord[];
  cancelled: boolean;
}

export async function forEachClip(
  ids: readonly string[],
  work: (id: string) => Promise<ClipRecord | null>,
  onProgress: (done: number, total: number) => void = () => undefined,
  signal?: AbortSignal,
): Promise<BulkOutcome> {
  const out: BulkOutcome = { done: 0, failed: [], updated: [], cancelled: false };
  for (const id of ids) {
    if (signal?.aborted) {
      out.cancelled = true;
      break;
    }
    try {
      const r = await work(id);
      if (r) out.updated.push(r);
      out.done++;
    } catch (e) {
      out.failed.push({ id, message: (e as Error).message ?? String(e) });
    }
    onProgress(out.done + out.failed.length, ids.length);
  }
  return out;
}

export function markStatus(api: BulkApi, projectDir: string, ids: readonly string[], status: ClipRecord['status'], onProgress?: (d: number, t: number) => void, signal?: AbortSignal) {
  return forEachClip(ids, (id) => api['clips.update']({ projectDir, id, status }), onProgress, signal);
}

export function deleteClips(api: BulkApi, projectDir: string, ids: readonly string[], onProgress?: (d: number, t: number) => void, signal?: AbortSignal) {
  return forEachClip(
    ids,
    async (id) => {
      await api['clips.delete']({ projectDir, id });
      return null;
    },
    onProgress,
    signal,
  );
}

export function describeOutcome(verb: string, o: BulkOutcome): string {
  const parts = [`${verb} ${o.done} clip${o.done === 1 ? '' : 's'}`];
  if (o.failed.length) parts.push(`${o.failed.length} failed (${o.failed[0].id}: ${o.failed[0].message}${o.failed.length > 1 ? ', …' : ''})`);
  if (o.cancelled) parts.push('cancelled');
  return parts.join('; ');
}

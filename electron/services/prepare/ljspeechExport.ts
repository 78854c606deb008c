import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ExportResult } from '../../../shared/contract/dataset';
import type { ClipRecord } from '../../../shared/contract/manifest';
import { normalizeText } from '../../../shared/text/index';
import { cleanupTempFiles, writeFileAtomic } from '../atomicWrite';
import { makeDir } from '../fileUtils';
import { REPAIR_HINT, clipWavProblem } from './clipWav';
import { loadManifest } from '../projectStore';
import { DurableBatch } from './durableBatch';
import { type RecordedFile, countForeignWavs, describeWritten, readExportRecord, removeStale, writeExportRecord } from './exportRecord';
import { checkExportTarget } from './exportTarget';
import { formatMetadataLine, metadataField } from './ljspeechMetadata';
import { CLEANED_CSV, cleanedCsvFromMetadata } from '../training/cleanedCsv';

/**
 * `formant export --format ljspeech`: the dataset exactly as LJSpeech lays it out
 *   <out>/wavs/<id>.wav   mono 16-bit PCM at the project rate (copied as rendered)
 *   <out>/metadata.csv    UTF-8, no header, `id|raw text|normalized text`, LF, one line per clip
 *   <out>/cleaned.csv     `id|cleaned text`: what the character-input trainer reads (training/cleanedCsv.ts)
 * plus train/val file lists in NVIDIA/tacotron2's format (`wavs/<id>.wav|raw text`, paths relative
 * to <out>): train.txt and val.txt. The split is deterministic: clips are ordered by
 * sha256(seed:id) and the first round(n · valFraction) (at least one when n ≥ 2) go to val, so
 * adding clips later moves few existing ones between the lists.
 * Left out (and counted): rejected clips, untranscribed ones (no text, or status untranscribed:
 * e.g. a merge of a transcribed and an untranscribed clip), empty transcripts, missing WAVs.
 * Exporting again into the same folder removes the WAVs the earlier export wrote that this one does
 * not, and only those (`.formant-export.json`, see exportRecord.ts).
 * It writes only where it may (exportTarget.ts): never into the project, and over files it did not
 * write only with `overwrite`. Each WAV is copied to a temp name and renamed, and metadata.csv comes
 * last: a killed export leaves the old metadata.csv listing whole WAVs (old or new), never empty ones.
 */

export interface ExportOptions {
  valFraction?: number;
  seed?: number;
  /** Replace files in the folder that this export did not write (the user said so). */
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export function splitTrainVal(ids: string[], valFraction: number, seed: number): { train: Set<string>; val: Set<string> } {
  const key = (id: string) => createHash('sha256').update(`${seed}:${id}`).digest('hex');
  const ordered = [...ids].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  let nVal = Math.round(ids.length * valFraction);
  if (valFraction > 0 && ids.length >= 2) nVal = Math.max(1, nVal);
  nVal = Math.min(nVal, Math.max(0, ids.length - 1));
  return { val: new Set(ordered.slice(0, nVal)), train: new Set(ordered.slice(nVal)) };
}

export async function exportLjspeech(projectDir: string, outDir: string, opts: ExportOptions = {}): Promise<ExportResult> {
  const m = await loadManifest(projectDir);
  const excluded: Record<string, number> = {};
  const exclude = (why: string) => (excluded[why] = (excluded[why] ?? 0) + 1);
  const chosen: ClipRecord[] = [];
  for (const c of m.clips) {
    if (c.status === 'rejected') exclude('rejected');
    else if (c.text == null || c.status === 'untranscribed') exclude('untranscribed');
    else if (!metadataField(c.text)) exclude('empty-transcript');
    else chosen.push(c);
  }
  const previous = await readExportRecord(outDir);
  const warnings: string[] = previous.warning ? [previous.warning] : [];
  const planned = [...chosen.map((c) => `wavs/${c.id}.wav`), 'metadata.csv', CLEANED_CSV, 'train.txt', 'val.txt'];
  await checkExportTarget(projectDir, outDir, m, planned, previous.record, { overwrite: opts.overwrite });
  await makeDir(path.join(outDir, 'wavs'));
  // Temp files of an export killed earlier (only those whose writer is gone).
  await cleanupTempFiles(path.join(outDir, 'wavs'));
  await cleanupTempFiles(outDir);
  // Before any file is replaced: the record names what this export is about to write (see exportRecord.ts).
  await writeExportRecord(outDir, projectDir, previous.record?.files ?? [], [...new Set([...(previous.record?.pending ?? []), ...planned])]);
  const disk = new DurableBatch();
  const written: RecordedFile[] = [];
  const exported: ClipRecord[] = [];
  let seconds = 0;
  let done = 0;
  for (const c of chosen) {
    opts.signal?.throwIfAborted();
    const from = path.join(projectDir, c.wav);
    // A damaged clip WAV is left out and named, never copied into a dataset a trainer would choke on.
    const problem = await clipWavProblem(projectDir, c, m.settings.sampleRate);
    if (problem && problem !== 'missing') {
      exclude('unreadable-wav');
      warnings.push(`${c.wav} (clip ${c.id}) is ${problem}: left out; ${REPAIR_HINT}`);
      done++;
      opts.onProgress?.(done, chosen.length);
      continue;
    }
    try {
      await disk.copyFile(from, path.join(outDir, 'wavs', `${c.id}.wav`));
      written.push(await describeWritten(outDir, `wavs/${c.id}.wav`));
      exported.push(c);
      seconds += c.durationSeconds;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      exclude('missing-wav');
    }
    done++;
    opts.onProgress?.(done, chosen.length);
  }
  const lines = exported.map((c) => {
    const raw = metadataField(c.text!);
    return { id: c.id, raw, line: formatMetadataLine(c.id, raw, normalizeText(raw)) };
  });
  const { train, val } = splitTrainVal(
    lines.map((l) => l.id),
    opts.valFraction ?? 0.05,
    opts.seed ?? 1234,
  );
  const list = (set: Set<string>) => lines.filter((l) => set.has(l.id)).map((l) => `wavs/${l.id}.wav|${l.raw}\n`).join('');
  await disk.sync(); // metadata.csv never lists a WAV that a power cut could leave empty
  await disk.sync(); // metadata.csv never lists a WAV that a power cut could leave empty
  const metadata = lines.map((l) => l.line).join('');
  await writeFileAtomic(path.join(outDir, 'metadata.csv'), metadata);
  // What the character-input trainer reads: the transcripts through shared/text's cleaners (it never cleans).
  if (lines.length) await writeFileAtomic(path.join(outDir, CLEANED_CSV), cleanedCsvFromMetadata(metadata));
  await writeFileAtomic(path.join(outDir, 'train.txt'), list(train));
  await writeFileAtomic(path.join(outDir, 'val.txt'), list(val));
  for (const f of ['metadata.csv', ...(lines.length ? [CLEANED_CSV] : []), 'train.txt', 'val.txt']) written.push(await describeWritten(outDir, f));

  // Stale files go before the new record is written: a crash in between leaves them listed, so the next export removes them.
  const current = new Set(written.map((f) => f.path));
  const stale = await removeStale(outDir, previous.record, current);
  await writeExportRecord(outDir, projectDir, written);
  if (stale.keptChanged.length)
    warnings.push(`${stale.keptChanged.length} WAV(s) of the earlier export changed since and were kept although their clips are no longer exported: ${stale.keptChanged.slice(0, 3).join(', ')}${stale.keptChanged.length > 3 ? ', …' : ''}`);
  const foreign = await countForeignWavs(outDir, current);
  if (foreign) warnings.push(`wavs/ holds ${foreign} other WAV file(s) that this export did not write (not in metadata.csv); left as they are`);
  return {
    outDir,
    exported: exported.length,
    train: train.size,
    val: val.size,
    excluded,
    seconds: +seconds.toFixed(3),
    removedStale: stale.removed.length,
    warnings,
  };
}

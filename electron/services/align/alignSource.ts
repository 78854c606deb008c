import path from 'node:path';
import { makeDir, sha256File } from '../fileUtils';
import { DurableBatch } from '../prepare/durableBatch';
import { sanitizeId } from '../prepare/ids';
import { checkRecordingFile, sourceExtension, storeSourceCopy } from '../prepare/registerSource';
import { scanSource } from '../prepare/sourceAudio';
import { RECORDINGS_DIR, removeFileAndEmptyDir } from './alignRuns';
import { RecordingFeatureStream, type RecordingFeatures } from './recordingFeatures';

/**
 * The recording being aligned waits under `align/recordings/<sha256 prefix>/<name>` in the project
 * (copied byte for byte, atomically; the same content is copied once) so the Align view can play it
 * and restore the run after a reload. It is NOT a source yet: `acceptSegments` registers it into
 * sources/ when the person accepts, and accepting or discarding removes the waiting copy.
 * Its one decode (prepare's ffmpeg stream, at the project rate) feeds the aligner's features chunk
 * by chunk; the samples themselves are not kept, so memory does not grow with the recording beyond
 * its features (~11 MB per hour). Clips read their audio again by region (acceptSegments).
 */
export interface LoadedRecording {
  /** Project-relative path of the waiting copy. */
  relPath: string;
  originalPath: string;
  sha256: string;
  /** True when this call made the copy (an error afterwards removes it). */
  copied: boolean;
  features: RecordingFeatures;
  warnings: string[];
}

const copyDurably = {
  writeFile: async () => {
    throw new Error('unused');
  },
  copyFile: async (from: string, target: string) => {
    await makeDir(path.dirname(target));
    const batch = new DurableBatch();
    await batch.copyFile(from, target);
    await batch.sync();
  },
};

/** `sampleRate`: the project's rate. `onSeconds`: audio analysed so far. */
export async function loadAlignRecording(
  projectDir: string,
  audioPath: string,
  sampleRate: number,
  opts: { signal?: AbortSignal; onSeconds?: (seconds: number) => void } = {},
): Promise<LoadedRecording> {
  const stat = await checkRecordingFile(audioPath);
  const sha = await sha256File(audioPath);
  const ext = sourceExtension(audioPath);
  const name = `${sanitizeId(path.basename(audioPath, path.extname(audioPath)))}${ext}`;
  const relPath = `${RECORDINGS_DIR}/${sha.slice(0, 16)}/${name}`;
  const stored = path.join(projectDir, relPath);
  // Re-aligning the waiting copy itself (the view after a reload) copies nothing.
  const same = path.resolve(audioPath) === path.resolve(stored);
  const copied = same ? false : await storeSourceCopy(audioPath, stored, stat.size, null, copyDurably);
  const stream = new RecordingFeatureStream(sampleRate);
  let reported = 0;
  try {
    const scan = await scanSource(stored, {
      sampleRate,
      keepSeconds: 0,
      signal: opts.signal,
      onChunk: (chunk) => {
        stream.push(chunk);
        const seconds = stream.seconds;
        if (opts.onSeconds && seconds - reported >= 10) opts.onSeconds((reported = seconds));
      },
    });
    return { relPath, originalPath: path.resolve(audioPath), sha256: sha, copied, features: stream.finish(), warnings: scan.warnings };
  } catch (e) {
    // A recording that does not decode leaves no copy behind.
    if (copied) await removeFileAndEmptyDir(stored);
    throw e;
  }
}

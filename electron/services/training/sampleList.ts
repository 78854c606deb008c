import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { RunSample, TrainerSample } from '../../../shared/contract/training';
import { writeFileAtomic } from '../atomicWrite';
import { readJsonObject } from '../fileUtils';
import { SAMPLE_FILE, SAMPLES_DIR, sampleInfoPath, sampleWavPath } from './samplePaths';

/**
 * A run's validation samples as the Train view lists them after a restart, newest first. What is known
 * about each comes from, in order: the validation record in metrics.jsonl (when the trainer logs the
 * sample there), the app's sidecar `sample_<step>.json` (written when a training job saw the event),
 * and as a last resort the run's first validation clip (the trainer always samples it) with its text
 * from the dataset's metadata.csv. Frames come from the .npy header, not the whole array.
 */
type SampleInfo = Partial<Pick<TrainerSample, 'id' | 'text' | 'frames' | 'stopped'>>;

/** Remembers what a validation event said about its sample (id, text, stopped) next to the .npy. */
export async function writeSampleInfo(npyPath: string, s: TrainerSample): Promise<void> {
  const info: SampleInfo = { id: s.id, text: s.text, frames: s.frames, stopped: s.stopped };
  await writeFileAtomic(sampleInfoPath(npyPath), JSON.stringify(info) + '\n');
}

function infoFrom(o: Record<string, unknown> | null | undefined): SampleInfo {
  if (!o) return {};
  return {
    id: typeof o.id === 'string' ? o.id : undefined,
    text: typeof o.text === 'string' && o.text ? o.text : undefined,
    frames: typeof o.frames === 'number' && Number.isInteger(o.frames) ? o.frames : undefined,
    stopped: typeof o.stopped === 'boolean' ? o.stopped : undefined,
  };
}

/** step → sample info from metrics.jsonl validation records that carry a `sample`. */
async function samplesInMetrics(runDir: string): Promise<Map<number, SampleInfo>> {
  const out = new Map<number, SampleInfo>();
  const file = path.join(runDir, 'metrics.jsonl');
  if (!existsSync(file)) return out;
  for (const line of (await fs.readFile(file, 'utf8')).split('\n')) {
    if (!line.includes('"sample"')) continue;
    try {
      const r = JSON.parse(line) as { event?: string; step?: number; sample?: Record<string, unknown> };
      if (r.event === 'validation' && typeof r.step === 'number' && r.sample && typeof r.sample === 'object') out.set(r.step, infoFrom(r.sample));
    } catch {
      // a line torn by a killed run
    }
  }
  return out;
}

/** The shape of a .npy from its header alone (the first few hundred bytes). */
export async function npyShape(file: string): Promise<number[] | null> {
  const fh = await fs.open(file, 'r').catch(() => null);
  if (!fh) return null;
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const header = buf.subarray(0, bytesRead).toString('latin1');
    if (!header.startsWith('\x93NUMPY')) return null;
    const m = /'shape':\s*\(([^)]*)\)/.exec(header);
    if (!m) return null;
    const shape = m[1].split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    return shape.every((d) => Number.isInteger(d) && d >= 0) ? shape : null;
  } finally {
    await fh.close();
  }
}

/** Text of one clip in the dataset's metadata.csv (normalized column when present). */
async function datasetText(datasetDir: unknown, id: string): Promise<string | null> {
  if (typeof datasetDir !== 'string') return null;
  let csv: string;
  try {
    csv = await fs.readFile(path.join(datasetDir, 'metadata.csv'), 'utf8');
  } catch {
    return null;
  }
  const line = csv.split(/\r?\n/).find((l) => l.startsWith(id + '|'));
  if (!line) return null;
  const cols = line.split('|');
  return (cols[2] || cols[1] || '').trim() || null;
}

async function isFreshWav(wav: string, npyMtimeMs: number): Promise<boolean> {
  const st = await fs.stat(wav).catch(() => null);
  return !!st && st.isFile() && st.size > 44 && st.mtimeMs >= npyMtimeMs;
}

export async function listSamples(runDir: string, run: Record<string, unknown> | null): Promise<RunSample[]> {
  const dir = path.join(runDir, SAMPLES_DIR);
  if (!existsSync(dir)) return [];
  const steps = (await fs.readdir(dir))
    .map((n) => SAMPLE_FILE.exec(n))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ step: Number(m[1]), npy: path.join(dir, m[0]) }))
    .sort((a, b) => b.step - a.step);
  if (!steps.length) return [];
  const fromMetrics = await samplesInMetrics(runDir);
  const firstVal = Array.isArray(run?.val_ids) && typeof run.val_ids[0] === 'string' ? (run.val_ids[0] as string) : null;
  let fallbackText: string | null | undefined;
  const plots = path.join(runDir, 'plots');
  const out: RunSample[] = [];
  for (const { step, npy } of steps) {
    const st = await fs.stat(npy).catch(() => null);
    if (!st?.isFile()) continue;
    const info = { ...infoFrom(await readJsonObject(sampleInfoPath(npy))), ...fromMetrics.get(step) };
    let id = info.id ?? null;
    let text = info.text ?? null;
    if (id === null && firstVal) {
      id = firstVal;
      if (fallbackText === undefined) fallbackText = await datasetText(run?.dataset, firstVal);
      text = text ?? fallbackText;
    }
    const shape = info.frames === undefined ? await npyShape(npy) : null;
    const wav = sampleWavPath(npy);
    const alignment = path.join(plots, `alignment_${String(step).padStart(8, '0')}.png`);
    out.push({
      step,
      id,
      text,
      mel: npy,
      wav: (await isFreshWav(wav, st.mtimeMs)) ? wav : null,
      frames: info.frames ?? (shape && shape.length >= 2 ? shape[shape.length - 1] : null),
      stopped: info.stopped ?? null,
      alignment: existsSync(alignment) ? alignment : null,
    });
  }
  return out;
}

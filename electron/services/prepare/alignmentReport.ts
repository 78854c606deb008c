import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  AlignmentReportFile,
  type AlignmentReportResult,
  type ClipAlignmentScore,
  type ProjectAlignmentReport,
} from '../../../shared/contract/alignmentReport';
import { readJsonObject } from '../fileUtils';
import { readExportRecord } from './exportRecord';

/**
 * The duration model's alignment report that applies to a project (shared/contract/alignmentReport.ts).
 *
 * Which runs: the project's own `runs/<name>/` folders (where the Train view puts them) and any run folder
 * opened or started in this session (`extraRuns`, from the access policy), wherever it lies. A run applies
 * when its run.json `dataset` holds an export record (`.formant-export.json`) whose `project` is this project:
 * then the report's metadata.csv ids are this project's clip ids. Everything else is left out and listed in
 * `ignored` with the reason: a run on another project's or a hand-made dataset, a report the trainer did not
 * finish or that is not a report at all. Missing files are not reasons (most runs have no report).
 *
 * Of the reports that apply, a settled one (the alignment had formed, flags mean something) wins over one
 * still forming; then the newest file.
 */
export const REPORT_FILE = 'alignment_report.json';

interface Candidate {
  report: ProjectAlignmentReport;
  mtimeMs: number;
}

export async function projectAlignmentReport(projectDir: string, extraRuns: Iterable<string> = []): Promise<AlignmentReportResult> {
  const project = await real(projectDir);
  const ignored: AlignmentReportResult['ignored'] = [];
  let best: Candidate | null = null;
  for (const runDir of await candidateRuns(projectDir, extraRuns)) {
    const file = path.join(runDir, REPORT_FILE);
    const st = await fs.stat(file).catch(() => null);
    if (!st?.isFile()) continue;
    const found = await readRun(runDir, file, project);
    if ('reason' in found) {
      ignored.push({ path: file, reason: found.reason });
      continue;
    }
    const c: Candidate = { report: { ...found.report, measuredAt: st.mtime.toISOString() }, mtimeMs: st.mtimeMs };
    if (!best || better(c, best)) best = c;
  }
  return { report: best?.report ?? null, ignored };
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.report.settled !== b.report.settled) return a.report.settled;
  return a.mtimeMs > b.mtimeMs;
}

/** `<project>/runs/*` folders plus the extra run folders, each once (by resolved path). */
async function candidateRuns(projectDir: string, extraRuns: Iterable<string>): Promise<string[]> {
  const out = new Set<string>();
  const runs = path.join(projectDir, 'runs');
  const entries = await fs.readdir(runs, { withFileTypes: true }).catch(() => []);
  for (const e of entries) if (e.isDirectory()) out.add(path.resolve(runs, e.name));
  for (const r of extraRuns) out.add(path.resolve(r));
  return [...out];
}

async function readRun(runDir: string, file: string, project: string): Promise<{ report: Omit<ProjectAlignmentReport, 'measuredAt'> } | { reason: string }> {
  const run = await readJsonObject(path.join(runDir, 'run.json'));
  const datasetDir = typeof run?.dataset === 'string' ? run.dataset : null;
  if (!datasetDir) return { reason: 'its run.json does not name the dataset it trained on' };
  const { record } = await readExportRecord(datasetDir);
  if (!record) return { reason: `its dataset ${datasetDir} was not exported by Formant Studio (no readable .formant-export.json), so its ids cannot be linked to clips` };
  if ((await real(record.project)) !== project) return { reason: `it trained on the export of another project (${record.project})` };
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    return { reason: `not readable JSON (${(e as Error).message})` };
  }
  const parsed = AlignmentReportFile.safeParse(raw);
  if (!parsed.success) return { reason: `not an alignment report this version reads (${parsed.error.issues[0]?.path.join('.') || 'format'}: ${parsed.error.issues[0]?.message})` };
  const r = parsed.data;
  const clips: Record<string, ClipAlignmentScore> = {};
  for (const c of r.clips) clips[c.id] = { loss: c.loss, focus: c.focus, z: c.z, flagged: r.settled && c.flagged, reasons: c.reasons ?? [] };
  // The list is the order to look at them in; a clip flagged in the list but not in its entry still counts.
  const flagged = r.settled ? r.flagged.filter((id) => id in clips) : [];
  for (const id of flagged) clips[id].flagged = true;
  for (const [id, c] of Object.entries(clips)) if (c.flagged && !flagged.includes(id)) flagged.push(id);
  return {
    report: { runDir: path.resolve(runDir), model: r.model, step: r.step, settled: r.settled, measure: r.measure, datasetDir: path.resolve(datasetDir), flagged, clips },
  };
}

/** The real path (symlinks resolved), or the resolved path when it does not exist. */
async function real(p: string): Promise<string> {
  return fs.realpath(p).catch(() => path.resolve(p));
}

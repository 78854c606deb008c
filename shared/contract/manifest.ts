import { z } from 'zod';

/**
 * The project manifest (`formant.json` in the project folder): the single source of truth
 * for a dataset. Audio under `wavs/` is always *derived* from `sources/` plus what is here
 * (region, settings), so edits are non-destructive and any clip can be re-rendered.
 *
 * Invariants (checked by `checkManifestInvariants`):
 *  - clip ids are unique and match CLIP_ID (filesystem-safe, used as LJSpeech ids);
 *  - every clip's sourceId names a source in `sources`;
 *  - 0 <= sourceStart < sourceEnd <= source duration (when known).
 */
export const SCHEMA_VERSION = 1;
export const MANIFEST_FILE = 'formant.json';

/** Filesystem-safe on Linux/Windows/macOS and safe inside metadata.csv: letters, digits, - _ . (no leading dot). */
export const CLIP_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export const MelPresetName = z.enum(['nvidia', 'seed']);
export type MelPresetName = z.infer<typeof MelPresetName>;

export const ProjectSettings = z.object({
  sampleRate: z.number().int().min(8000).max(96000).default(22050),
  /** Seconds of digital silence at start and end of every clip (the seed's rule). */
  padSeconds: z.number().min(0).max(5).default(0.5),
  /** Integrated loudness target (ITU-R BS.1770), or null to leave levels alone. */
  targetLufs: z.number().min(-70).max(0).nullable().default(-23),
  /** True-peak ceiling in dBTP applied after loudness normalization. */
  truePeakDb: z.number().max(0).default(-1),
  minClipSeconds: z.number().positive().default(1),
  maxClipSeconds: z.number().positive().default(12),
  /** Frames quieter than this (dBFS, short-term RMS) count as silence for trimming and splitting. */
  silenceThresholdDb: z.number().max(0).default(-40),
  /** Shortest pause (s) at which a long recording may be split. */
  minPauseSeconds: z.number().min(0).default(0.15),
  melPreset: MelPresetName.default('nvidia'),
  language: z.string().default('en-us'),
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;

export const SourceRecord = z.object({
  id: z.string().regex(CLIP_ID),
  /** The path the user imported from (informational; never written to). */
  originalPath: z.string(),
  /** Relative to the project folder, under sources/. Read-only after import. */
  storedPath: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  importedAt: z.string(),
  durationSeconds: z.number().nonnegative().nullable(),
  sampleRate: z.number().int().positive().nullable(),
  channels: z.number().int().positive().nullable(),
  codec: z.string().nullable(),
  status: z.enum(['ok', 'failed']),
  error: z.string().optional(),
  /**
   * The recording's whole transcript as imported (sidecar .txt/.lab or metadata.csv), kept here
   * when the recording was split into several clips: which words fall in which clip is not known
   * until alignment (`formant align`) or the editor assigns them, so those clips are untranscribed.
   */
  transcript: z.string().nullable().optional(),
  /** Fix-ups and problems noticed on import (non-UTF-8 transcript, truncation…), for the UI. */
  warnings: z.array(z.string()).optional(),
});
export type SourceRecord = z.infer<typeof SourceRecord>;

export const QaFlag = z.enum([
  'clipping',
  'low-snr',
  'too-short',
  'too-long',
  'too-fast',
  'too-slow',
  'untranscribed',
  'empty-transcript',
  'long-silence',
  'quiet',
  /** The clip's WAV is missing or damaged (QA names the file; export leaves it out; `formant reprocess` renders it again). */
  'unreadable',
]);
export type QaFlag = z.infer<typeof QaFlag>;

export const ClipQa = z.object({
  durationSeconds: z.number(),
  peakDbfs: z.number(),
  clippingRatio: z.number().min(0).max(1),
  rmsDbfs: z.number(),
  snrDb: z.number().nullable(),
  leadingSilenceSeconds: z.number(),
  trailingSilenceSeconds: z.number(),
  charsPerSecond: z.number().nullable(),
  flags: z.array(QaFlag),
});
export type ClipQa = z.infer<typeof ClipQa>;

export const ClipStatus = z.enum(['untranscribed', 'transcribed', 'reviewed', 'rejected']);
export type ClipStatus = z.infer<typeof ClipStatus>;

export const ClipRecord = z.object({
  id: z.string().regex(CLIP_ID),
  sourceId: z.string(),
  /** Region of the source recording, in seconds, that this clip renders (before padding). */
  sourceStart: z.number().nonnegative(),
  sourceEnd: z.number().positive(),
  /** Relative path of the rendered clip, `wavs/<id>.wav`. */
  wav: z.string(),
  /** Duration of the rendered WAV including padding. */
  durationSeconds: z.number().nonnegative(),
  /** Raw transcript as the user wrote it; null when there is none. */
  text: z.string().nullable(),
  status: ClipStatus,
  origin: z.enum(['import', 'split', 'align', 'edit', 'record']).default('import'),
  /** Alignment confidence 0..1 when the clip came from `formant align`. */
  confidence: z.number().min(0).max(1).optional(),
  qa: ClipQa.optional(),
  /**
   * Loudness of the region as recorded, before normalization (LUFS; absent for silence and older projects).
   * The rendered WAV is always at the target level, so QA reads "recorded too quietly" from this.
   */
  recordedLufs: z.number().optional(),
  /** Hash of (source sha, region, settings) the WAV was rendered with; lets re-runs skip finished work. */
  renderKey: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ClipRecord = z.infer<typeof ClipRecord>;

export const Manifest = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  name: z.string().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
  settings: ProjectSettings,
  sources: z.array(SourceRecord),
  clips: z.array(ClipRecord),
});
export type Manifest = z.infer<typeof Manifest>;

export interface InvariantProblem {
  path: string;
  message: string;
}

export function checkManifestInvariants(m: Manifest): InvariantProblem[] {
  const problems: InvariantProblem[] = [];
  const sources = new Map(m.sources.map((s) => [s.id, s]));
  const seen = new Set<string>();
  m.clips.forEach((c, i) => {
    if (seen.has(c.id)) problems.push({ path: `clips[${i}].id`, message: `duplicate clip id "${c.id}"` });
    seen.add(c.id);
    const src = sources.get(c.sourceId);
    if (!src) problems.push({ path: `clips[${i}].sourceId`, message: `clip "${c.id}" names unknown source "${c.sourceId}"` });
    if (!(c.sourceStart < c.sourceEnd)) problems.push({ path: `clips[${i}]`, message: `clip "${c.id}" has an empty region` });
    if (src?.durationSeconds != null && c.sourceEnd > src.durationSeconds + 1e-3)
      problems.push({ path: `clips[${i}].sourceEnd`, message: `clip "${c.id}" ends after its source` });
  });
  const seenSrc = new Set<string>();
  m.sources.forEach((s, i) => {
    if (seenSrc.has(s.id)) problems.push({ path: `sources[${i}].id`, message: `duplicate source id "${s.id}"` });
    seenSrc.add(s.id);
  });
  return problems;
}

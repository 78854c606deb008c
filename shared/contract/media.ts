import { z } from 'zod';
import { method } from './rpc';

/**
 * Media helpers for the views (editor area). Services: electron/services/media/handlers.ts.
 *
 * `media.peaks` lets the waveform appear without the browser fetching and decoding the audio:
 * wavesurfer draws these peaks and plays the file by streaming it (`mediaUrl`), which is what
 * makes a 2-hour recording show up in well under a second instead of after a full decode.
 */
export const Peaks = z.object({
  sampleRate: z.number().int().positive(),
  /** Duration of the whole file, seconds. */
  duration: z.number().nonnegative(),
  /** The window the peaks cover, seconds (the whole file unless start/end were given). */
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  /** One value per bucket: the sample of largest magnitude (sign kept), like wavesurfer's exportPeaks. */
  peaks: z.array(z.number()),
});
export type Peaks = z.infer<typeof Peaks>;

export const MAX_PEAK_BUCKETS = 200_000;

export const mediaMethods = {
  'media.peaks': method(
    z
      .object({
        projectDir: z.string().min(1),
        /** A WAV inside the project, relative to it (e.g. the clip's `wav`). */
        path: z.string().min(1),
        buckets: z.number().int().min(1).max(MAX_PEAK_BUCKETS).default(8000),
        start: z.number().nonnegative().optional(),
        end: z.number().positive().optional(),
      })
      .refine((v) => v.start == null || v.end == null || v.start < v.end, { message: 'start must be before end' }),
    Peaks,
    'Waveform peaks of a WAV in the project (streamed server-side; cached until the file changes).',
  ),
} as const;

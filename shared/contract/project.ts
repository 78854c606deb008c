import { z } from 'zod';
import { method } from './rpc';
import { ClipRecord, Manifest, ProjectSettings } from './manifest';

/** Project-level methods of the API (open, create, edit clips). Services: electron/services/projectApi.ts */
export const projectMethods = {
  'project.create': method(
    z.object({ dir: z.string().min(1), name: z.string().optional(), settings: ProjectSettings.partial().optional() }),
    Manifest,
    'Create a project folder (sources/, wavs/, formant.json).',
  ),
  'project.open': method(z.object({ dir: z.string().min(1) }), Manifest, 'Load and validate a project manifest.'),
} as const;

export { ClipRecord, Manifest, ProjectSettings };

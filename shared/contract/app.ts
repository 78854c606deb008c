import { z } from 'zod';
import { method } from './rpc';

/**
 * App-level methods of the API (shell): what the start screen, the job list and the
 * import/export dialogs need besides the dataset itself. Services: electron/services/shell/appHandlers.ts;
 * the Electron main process overrides the ones that need a native window (folder picker, reveal).
 */
export const RecentProject = z.object({
  dir: z.string(),
  name: z.string(),
  openedAt: z.string(),
  /** False when the folder (or its formant.json) has gone since it was last opened. */
  exists: z.boolean(),
});
export type RecentProject = z.infer<typeof RecentProject>;

export const AppInfo = z.object({
  mode: z.enum(['electron', 'web']),
  platform: z.string(),
  version: z.string(),
  /** Where the app keeps its own files (recent projects, the demo project). */
  dataDir: z.string(),
  /** Where `app.openDemo` puts the demo project. */
  demoProjectDir: z.string(),
  demoAvailable: z.boolean(),
  /** True in Electron: `app.pickFolder` opens a native dialog. In web mode the UI asks for a typed path. */
  nativeDialogs: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

const Ok = z.object({ ok: z.literal(true) });

export const appMethods = {
  'app.info': method(z.object({}), AppInfo, 'Mode (electron/web), platform, version and data folder of this app.'),
  'app.recentProjects': method(z.object({}), z.object({ projects: z.array(RecentProject) }), 'Recently opened projects, newest first.'),
  'app.forgetRecent': method(z.object({ dir: z.string().min(1) }), Ok, 'Remove a project from the recent list (its files stay).'),
  'app.openDemo': method(
    z.object({}),
    z.object({ dir: z.string(), created: z.boolean(), jobId: z.string().nullable() }),
    'Open the demo project, creating it under the data folder and importing the bundled recordings the first time (returns the import job).',
  ),
  'app.pickFolder': method(
    z.object({ title: z.string().max(200).optional(), purpose: z.enum(['project', 'import', 'export', 'dataset', 'run']) }),
    z.object({ path: z.string().nullable() }),
    'Native folder picker (Electron only): a project, a folder to import, an export target, a training dataset or a run folder; the chosen folder becomes readable (and writable) by the API.',
  ),
  'app.pickFiles': method(
    z.object({ title: z.string().max(200).optional(), purpose: z.enum(['import', 'checkpoint']).optional() }),
    z.object({ paths: z.array(z.string()) }),
    'Native file picker (Electron only): audio/transcripts to import, or one checkpoint file (purpose "checkpoint"); what is chosen becomes readable.',
  ),
  'app.reveal': method(z.object({ path: z.string().min(1) }), Ok, 'Show a file or folder in the system file manager (Electron only).'),
  'app.discardUploads': method(
    z.object({ project: z.string().min(1), batch: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
    Ok,
    'Delete a web-mode upload staging batch after its import finished.',
  ),
  'jobs.cancel': method(z.object({ jobId: z.string().min(1) }), z.object({ cancelled: z.boolean() }), 'Cancel a running job (no-op when it already ended).'),
  'jobs.list': method(z.object({}), z.object({ jobIds: z.array(z.string()) }), 'Ids of the jobs running now.'),
} as const;

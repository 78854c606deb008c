import { promises as fs } from 'node:fs';
import type { Api } from '../../../shared/contract/index';
import { ServiceError, type CallContext, type Handlers } from '../../../shared/contract/rpc';
import { cancelJob, runningJobs } from '../jobs';
import { createProject, loadManifest, projectExists } from '../projectStore';
import { projectOpened } from '../projectHandlers';
import { access } from './accessPolicy';
import { resolveUserPath } from './projectPaths';
import { forgetProject, recentProjects } from './recentProjects';
import { demoProjectDir, demoRecordingsDir, shellConfig } from './shellConfig';
import { discardStagingBatch } from './uploads';

/**
 * Handlers of shared/contract/app.ts that need no native window. `call` reaches the other
 * areas' methods (the demo project is an ordinary 'dataset.import'), always through the
 * validating dispatcher.
 */
export type CallApi = (method: string, input: unknown, ctx: CallContext) => Promise<unknown>;

async function hasDemoRecordings(): Promise<boolean> {
  try {
    return (await fs.readdir(demoRecordingsDir())).some((n) => !n.startsWith('.'));
  } catch {
    return false;
  }
}

const unsupported = (what: string) => new ServiceError('unsupported', `${what} needs the desktop app; in the browser, type the path instead`);

export function createAppHandlers(call: CallApi): Partial<Handlers<Api>> {
  return {
    'app.info': async () => {
      const c = shellConfig();
      return {
        mode: c.mode,
        platform: process.platform,
        version: c.version,
        dataDir: c.dataDir,
        demoProjectDir: demoProjectDir(),
        demoAvailable: await hasDemoRecordings(),
        nativeDialogs: c.mode === 'electron',
      };
    },
    'app.recentProjects': async () => ({ projects: await recentProjects(shellConfig().dataDir) }),
    'app.forgetRecent': async ({ dir }) => {
      await forgetProject(shellConfig().dataDir, dir);
      return { ok: true as const };
    },
    'app.openDemo': async (_input, ctx) => {
      const dir = demoProjectDir();
      const exists = await projectExists(dir);
      const m = exists ? await loadManifest(dir) : null;
      // Import when the project is new, or when an earlier import was cancelled before any source landed.
      if (m && m.sources.length > 0) {
        await projectOpened(dir, m.name);
        return { dir, created: false, jobId: null };
      }
      if (!(await hasDemoRecordings())) throw new ServiceError('no-demo', `The demo recordings are missing (${demoRecordingsDir()})`);
      const created = !m ? await createProject(dir, { name: 'Demo project' }) : m;
      await projectOpened(dir, created.name);
      const started = (await call('dataset.import', { projectDir: dir, paths: [demoRecordingsDir()] }, ctx)) as { jobId: string };
      return { dir, created: !exists, jobId: started.jobId };
    },
    'app.pickFolder': async () => {
      throw unsupported('A folder picker');
    },
    'app.pickFiles': async () => {
      throw unsupported('A file picker');
    },
    'app.reveal': async () => {
      throw unsupported('Showing files in the file manager');
    },
    'app.discardUploads': async ({ project, batch }) => {
      const dir = resolveUserPath(project);
      if (!access.isOpenProject(dir)) throw new ServiceError('forbidden', `${project} is not an open project`);
      await discardStagingBatch(dir, batch);
      return { ok: true as const };
    },
    'jobs.cancel': async ({ jobId }) => ({ cancelled: cancelJob(jobId) }),
    'jobs.list': async () => ({ jobIds: runningJobs() }),
  };
}

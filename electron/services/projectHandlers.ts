import type { Api } from '../../shared/contract/index';
import type { Handlers } from '../../shared/contract/rpc';
import { createProject, loadManifest } from './projectStore';
import { access } from './shell/accessPolicy';
import { resolveUserPath } from './shell/projectPaths';
import { rememberProject } from './shell/recentProjects';
import { shellConfig } from './shell/shellConfig';

/**
 * 'project.create' / 'project.open': the project store, plus what opening means for the shell —
 * the folder becomes readable as media, and it goes to the top of the recent list.
 */
export async function projectOpened(dir: string, name: string): Promise<void> {
  access.grantProject(dir);
  // The recent list is a convenience: never fail an open because the data folder is read-only.
  await rememberProject(shellConfig().dataDir, dir, name).catch(() => undefined);
}

export const projectHandlers: Partial<Handlers<Api>> = {
  'project.create': async ({ dir, name, settings }) => {
    const abs = resolveUserPath(dir);
    const m = await createProject(abs, { name, settings });
    await projectOpened(abs, m.name);
    return m;
  },
  'project.open': async ({ dir }) => {
    const abs = resolveUserPath(dir);
    const m = await loadManifest(abs);
    await projectOpened(abs, m.name);
    return m;
  },
};

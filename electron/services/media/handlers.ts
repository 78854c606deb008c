import type { Api } from '../../../shared/contract/index';
import type { Handlers } from '../../../shared/contract/rpc';
import { access } from '../shell/accessPolicy';
import { resolveUserPath } from '../shell/projectPaths';
import { cachedPeaks } from './peaks';

/** 'media.*' services: confined to files inside an opened project, like the media protocol. */
export const mediaHandlers: Partial<Handlers<Api>> = {
  'media.peaks': async ({ projectDir, path, buckets, start, end }) => {
    const file = await access.resolveProjectFile(resolveUserPath(projectDir), path);
    return cachedPeaks(file, { buckets, start, end });
  },
};

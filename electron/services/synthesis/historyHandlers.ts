import type { Api } from '../../../shared/contract/index';
import type { Handlers } from '../../../shared/contract/rpc';
import { resolveUserPath } from '../shell/projectPaths';
import { keepSynthesis, listHistory } from './synthesisHistory';

/** The synthesis history kept with a project (synthesisHistory.ts). */
export const synthesisHistoryHandlers: Pick<Handlers<Api>, 'synthesis.history' | 'synthesis.keep'> = {
  'synthesis.history': async ({ projectDir }) => ({ entries: await listHistory(resolveUserPath(projectDir)) }),
  'synthesis.keep': async ({ projectDir, entry, wavBase64 }) => ({
    entries: await keepSynthesis(resolveUserPath(projectDir), entry, new Uint8Array(Buffer.from(wavBase64, 'base64'))),
  }),
};

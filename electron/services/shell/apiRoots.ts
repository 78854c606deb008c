import path from 'node:path';
import { embeddedVoicesDir } from '../synthesis/voices';
import { shellConfig } from './shellConfig';

/**
 * Where API calls may name paths beyond the open projects (accessPolicy's `checkApiPaths`), the same in
 * Electron and web mode: the data folder (read and write: user voices, checkpoints the user copied there,
 * exports, runs) and, for reading only, what the app ships: the embedded voices and the demo recordings.
 */
export function apiRoots(): { dataDir: string; readOnly: string[] } {
  return { dataDir: shellConfig().dataDir, readOnly: [embeddedVoicesDir(), path.join(shellConfig().resourcesDir, 'demo')] };
}

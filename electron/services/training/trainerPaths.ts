import path from 'node:path';
import { checkoutRoot } from '../shell/appPaths';
import { shellConfig } from '../shell/shellConfig';

/**
 * Where the Python trainer lives: trainer/ of the app's resources folder (shell/appPaths.ts decides it: the
 * checkout's resources/ from sources and the electron-vite build, process.resourcesPath when packaged), or
 * $FORMANT_TRAINER_DIR.
 */
export function trainerDir(): string {
  return process.env.FORMANT_TRAINER_DIR ? path.resolve(process.env.FORMANT_TRAINER_DIR) : path.join(shellConfig().resourcesDir, 'trainer');
}

/** The checkout (tests and benchmarks find ../shared/data beside it); the resources' parent in a packaged app. */
export const repoRoot = checkoutRoot() ?? path.dirname(shellConfig().resourcesDir);

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the Python trainer lives: `resources/trainer` of the checkout (or $FORMANT_TRAINER_DIR, e.g. a
 * packaged app's resources), and the repo root whose `.venv` setup-venv.sh creates.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');

export function trainerDir(): string {
  return process.env.FORMANT_TRAINER_DIR ? path.resolve(process.env.FORMANT_TRAINER_DIR) : path.join(repoRoot, 'resources', 'trainer');
}

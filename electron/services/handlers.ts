import type { Api } from '../../shared/contract/index';
import type { Handlers } from '../../shared/contract/rpc';
import { alignHandlers } from './align/handlers';
import { mediaHandlers } from './media/handlers';
import { datasetHandlers } from './prepare/handlers';
import { projectHandlers } from './projectHandlers';
import { recordHandlers } from './record/handlers';
import { createAppHandlers } from './shell/appHandlers';
import { createDispatcher, type Dispatch } from './shell/dispatch';
import { synthesisHandlers } from './synthesis/handlers';
import { synthesisHistoryHandlers } from './synthesis/historyHandlers';
import { trainingHandlers } from './training/handlers';
import { publishedCheckpointHandlers } from './training/publishedHandlers';

/**
 * Every area's handlers, merged into one map, and the validating dispatcher over it.
 * Areas: electron/services/<area>/handlers.ts or <area>Handlers.ts exporting `<area>Handlers`.
 * A method whose area has not landed answers 'not-implemented' instead of breaking the build.
 * `extra` lets the Electron main process add the handlers that need a native window.
 */
export function buildHandlers(extra: Partial<Handlers<Api>> = {}): Partial<Handlers<Api>> {
  const merged: Partial<Handlers<Api>> = {
    ...projectHandlers,
    ...datasetHandlers,
    ...mediaHandlers,
    ...alignHandlers,
    ...synthesisHandlers,
    ...synthesisHistoryHandlers,
    ...trainingHandlers,
    ...publishedCheckpointHandlers,
    ...recordHandlers,
  };
  // The app handlers call other areas through the dispatcher, so they see `extra` too.
  const app = createAppHandlers((method, input, ctx) => dispatch(method, input, ctx));
  const all = { ...merged, ...app, ...extra };
  const dispatch = createDispatcher(all);
  return all;
}

export function createApiDispatcher(extra: Partial<Handlers<Api>> = {}): Dispatch {
  return createDispatcher(buildHandlers(extra));
}

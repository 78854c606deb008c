/**
 * The whole API between the renderer and the services, as one map of method name → definition.
 * Each capability keeps its methods in its own file; this is where they are joined.
 */
import { projectMethods } from './project';
import { appMethods } from './app';
import { datasetMethods } from './dataset';
import { mediaMethods } from './media';
import { alignMethods } from './align';
import { synthesisMethods } from './synthesis';
import { trainingMethods } from './training';
import { alignmentReportMethods } from './alignmentReport';
import { recordMethods } from './record';

export const api = {
  ...projectMethods,
  ...appMethods,
  ...datasetMethods,
  ...mediaMethods,
  ...alignMethods,
  ...synthesisMethods,
  ...trainingMethods,
  ...alignmentReportMethods,
  ...recordMethods,
} as const;

export type Api = typeof api;
export type ApiMethod = keyof Api;
export * from './rpc';

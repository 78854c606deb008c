import type { RegisterCommand } from '../formant';

/**
 * One module per command (or family of commands), imported only when a command line needs it, so
 * `formant --help` and `formant info` do not load onnxruntime, ffmpeg or the trainer's code.
 * Add yours here; the build lists its commands for the help (electron/cli/commandIndex.ts).
 */
export const commandModules = {
  info: async () => (await import('./info')).registerInfo,
  dsp: async () => (await import('./dsp')).registerDsp,
  import: async () => (await import('./import')).registerImport,
  qa: async () => (await import('./qa')).registerQa,
  export: async () => (await import('./export')).registerExport,
  web: async () => (await import('./web')).registerWeb,
  align: async () => (await import('./align')).registerAlign,
  say: async () => (await import('./say')).registerSay,
  text: async () => (await import('./text')).registerText,
  train: async () => (await import('./train')).registerTrain,
  exportVoice: async () => (await import('./exportVoice')).registerExportVoice,
  phonemize: async () => (await import('./phonemize')).registerPhonemize,
  voice: async () => (await import('./voice')).registerVoice,
} satisfies Record<string, () => Promise<RegisterCommand>>;

export type CommandModuleKey = keyof typeof commandModules;

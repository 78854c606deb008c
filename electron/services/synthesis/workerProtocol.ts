import type { SentenceReport } from './synthesize';

/** Messages between workerClient.ts (main thread) and worker.ts (synthesis thread). */
export type WorkerOp = 'synthesize' | 'audition' | 'warm';

export type WorkerRequest = { type: 'run'; id: number; op: WorkerOp; args: unknown } | { type: 'cancel'; id: number };

export interface SentenceMessage {
  report: SentenceReport;
  stream: Float32Array;
  /** Early audio of a chunk that is not done (SentenceEvent.partial). */
  partial?: boolean;
}

/** Within a chunk: frames of its mel the vocoder has turned into audio (WaveGlow reports each window). */
export interface VocoderProgressMessage {
  chunk: number;
  /** Chunks in the text (its plan). */
  chunks: number;
  done: number;
  total: number;
}

export type WorkerResponse =
  | { type: 'event'; id: number; event: SentenceMessage }
  | { type: 'progress'; id: number; progress: VocoderProgressMessage }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'error'; id: number; error: { code: string; message: string; details?: unknown } };

/** `workerData` of the synthesis thread: the starting process's shell config (resources and data folders). */
export interface SynthesisWorkerData {
  shell: import('../shell/shellConfig').ShellConfig;
}

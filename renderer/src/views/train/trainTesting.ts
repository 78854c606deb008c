import { vi } from 'vitest';
import type { FormantBridge } from '../../api/bridge';

/** Test helpers of the Train view's specs: a checkpoint listing entry, and a bridge answering canned results. */
export const ckpt = (model: 'tacotron2' | 'waveglow' | 'fastpitch') => ({ model, step: 10, path: `/r/checkpoints/${model}_00000010.pt`, bytes: 1, mtime: '2026-12-06T00:00:00.000Z' });

export interface BridgeCall {
  method: string;
  input: Record<string, unknown>;
}

/** Puts a bridge on `window.formant` that records every call into `calls` and answers `results[method]`. */
export function stubBridge(results: Record<string, unknown>, calls: BridgeCall[]): void {
  calls.length = 0;
  const bridge: Partial<FormantBridge> = {
    call: async (method, input) => {
      calls.push({ method, input: input as Record<string, unknown> });
      return { ok: true, result: results[method] };
    },
    onEvent: () => () => undefined,
  };
  vi.stubGlobal('window', { formant: bridge });
}

/// <reference lib="webworker" />
import { MelRenderer } from './melRenderer';
import type { MelRequest, MelResponse } from './melProtocol';

/**
 * The mel view's Web Worker: each request (a time window of the clip at the view's zoom) is answered
 * by MelRenderer — range-read audio, the models' own melSpectrogram, colours — and the pixels are
 * transferred back, not copied. Nothing here blocks the UI thread.
 */
const ctx = self as unknown as DedicatedWorkerGlobalScope;
const renderer = new MelRenderer();

ctx.onmessage = async (e: MessageEvent<MelRequest>) => {
  const r: MelResponse = await renderer.render(e.data);
  ctx.postMessage(r, r.ok ? [r.rgba] : []);
};

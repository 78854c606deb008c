/// <reference lib="webworker" />
import { decodeWav } from '../../../../shared/dsp/wav';
import { melSpectrogram } from '../../../../shared/dsp/mel';
import { melPresetByName } from '../../../../shared/dsp/melPresets';
import { melToPixels } from './melImage';
import type { MelRequest, MelResponse } from './melProtocol';

/**
 * Computes the mel view off the UI thread: fetch the clip's WAV, decode it (shared/dsp/wav),
 * run the models' own melSpectrogram (shared/dsp/mel) with the project's preset, colour it,
 * and post the pixels back (transferred, not copied).
 */
const ctx = self as unknown as DedicatedWorkerGlobalScope;

ctx.onmessage = async (e: MessageEvent<MelRequest>) => {
  const { id, url, preset: presetName, maxSeconds } = e.data;
  const reply = (m: MelResponse, transfer: Transferable[] = []) => ctx.postMessage(m, transfer);
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not load the clip audio (HTTP ${res.status})`);
    const wav = decodeWav(new Uint8Array(await res.arrayBuffer()));
    const preset = melPresetByName(presetName);
    const samples = wav.channels[0];
    const seconds = samples.length / wav.sampleRate;
    if (seconds > maxSeconds) throw new Error(`the mel view covers clips up to ${Math.round(maxSeconds / 60)} minutes (this one is ${Math.round(seconds / 60)})`);
    const warning = wav.sampleRate !== preset.sampleRate ? `audio is ${wav.sampleRate} Hz but the ${preset.name} mel preset expects ${preset.sampleRate} Hz` : null;
    const mel = melSpectrogram(samples, preset);
    const px = melToPixels(mel);
    reply({ id, ok: true, width: px.width, height: px.height, rgba: px.rgba.buffer as ArrayBuffer, lo: px.lo, hi: px.hi, seconds, hopSeconds: preset.hopLength / preset.sampleRate, warning }, [px.rgba.buffer as ArrayBuffer]);
  } catch (err) {
    reply({ id, ok: false, error: (err as Error).message ?? String(err) });
  }
};

import type { MelPresetName } from '../../../../shared/contract/manifest';
import type { Mel } from '../../../../shared/dsp/mel';
import { melPresetByName } from '../../../../shared/dsp/melPresets';
import { displayRange, melToPixels } from './melImage';
import type { MelRequest, MelResponse } from './melProtocol';
import { framesForWindow, melOfFrames, poolFrames } from './melWindow';
import { WHOLE_FILE_BYTES, openWavSource, type Fetcher, type WavSource } from './wavSource';

/**
 * What the mel worker does, without the worker: for a request (audio URL, preset, time window,
 * pixel columns) it opens the audio (whole or by range, wavSource.ts), computes the window's mel
 * frames with the models' own melSpectrogram (melWindow.ts), pools them to the columns and colours
 * them. Windows are cached (the same view again is instant), sources too; a request that a newer
 * one overtook while it waited for audio is answered `stale` instead of computed.
 */
export const MAX_RANGED_WINDOW_SECONDS = 300;
const MEL_CACHE = 48;
const SOURCE_CACHE = 4;

type Ok = Extract<MelResponse, { ok: true }>;

export class MelRenderer {
  private sources = new Map<string, Promise<WavSource>>();
  private mels = new Map<string, { mel: Mel; span: { t0: number; t1: number }; stride: number }>();
  private ranges = new Map<string, { lo: number; hi: number }>();
  private latest = 0;

  constructor(
    private readonly fetcher: Fetcher = (u, i) => fetch(u, i),
    /** Files up to this size are fetched whole (see wavSource.ts). */
    private readonly wholeBytes = WHOLE_FILE_BYTES,
  ) {}

  private source(url: string): Promise<WavSource> {
    let s = this.sources.get(url);
    if (!s) {
      s = openWavSource(url, this.fetcher, this.wholeBytes);
      this.sources.set(url, s);
      s.catch(() => this.sources.delete(url));
      while (this.sources.size > SOURCE_CACHE) this.sources.delete(this.sources.keys().next().value as string);
    }
    return s;
  }

  async render(req: MelRequest): Promise<MelResponse> {
    const { id, url } = req;
    this.latest = Math.max(this.latest, id);
    const stale = () => id < this.latest;
    const t = performance.now();
    let readMs = 0;
    try {
      const preset = melPresetByName(req.preset satisfies MelPresetName);
      const src = await this.source(url);
      const seconds = src.totalSamples / src.sampleRate;
      let start = Math.max(0, req.start ?? 0);
      let end = Math.min(seconds, req.end ?? seconds);
      let columns = Math.max(1, Math.round(req.columns));
      if (src.mode === 'ranged' && end - start > MAX_RANGED_WINDOW_SECONDS) {
        // Too wide to read by range: keep what is on screen and as much margin as fits, or ask to zoom in.
        const vs = Math.max(start, req.visibleStart ?? start);
        const ve = Math.min(end, req.visibleEnd ?? end);
        if (ve - vs > MAX_RANGED_WINDOW_SECONDS)
          return { id, ok: false, reason: 'too-wide', error: `Zoom in to see the mel: it is computed for views up to ${MAX_RANGED_WINDOW_SECONDS / 60} minutes of a long recording (this view shows ${Math.round((ve - vs) / 60)}).` };
        const extra = (MAX_RANGED_WINDOW_SECONDS - (ve - vs)) / 2;
        const [s0, e0] = [start, end];
        start = Math.max(s0, vs - extra);
        end = Math.min(e0, ve + extra);
        columns = Math.max(1, Math.round((columns * (end - start)) / (e0 - s0)));
      }
      const span = framesForWindow(preset, src.totalSamples, start, end);
      const key = `${url}\u0000${preset.name}\u0000${span.t0}\u0000${span.t1}\u0000${columns}`;
      let hit = this.mels.get(key);
      const cached = !!hit;
      if (!hit) {
        if (stale()) return { id, ok: false, reason: 'stale', error: 'overtaken by a newer view' };
        // More frames than columns: compute about one model frame per column (the view's resolution; at the
        // zoom levels where this happens the frames' 46 ms windows still overlap), pool what is left over.
        const stride = Math.max(1, Math.floor((span.t1 - span.t0) / columns));
        const timedRead = async (a: number, b: number) => {
          const t0 = performance.now();
          const x = await src.read(a, b);
          readMs += performance.now() - t0;
          return x;
        };
        const mel = await melOfFrames(timedRead, src.totalSamples, preset, span, stride);
        hit = { mel: poolFrames(mel, columns), span, stride };
        this.mels.set(key, hit);
        while (this.mels.size > MEL_CACHE) this.mels.delete(this.mels.keys().next().value as string);
      } else {
        this.mels.delete(key); // LRU: most recent last
        this.mels.set(key, hit);
      }
      // One display range per recording (the first window's, widened by later ones), so colours stay put while scrolling.
      const rangeKey = `${url}\u0000${preset.name}`;
      const r = displayRange(hit.mel.data);
      const prev = this.ranges.get(rangeKey);
      const range = prev ? { lo: Math.min(prev.lo, r.lo), hi: Math.max(prev.hi, r.hi) } : r;
      this.ranges.set(rangeKey, range);
      const px = melToPixels(hit.mel, range);
      const hopSeconds = preset.hopLength / preset.sampleRate;
      const warning = src.sampleRate !== preset.sampleRate ? `audio is ${src.sampleRate} Hz but the ${preset.name} mel preset expects ${preset.sampleRate} Hz` : null;
      const res: Ok = {
        id,
        ok: true,
        width: px.width,
        height: px.height,
        rgba: px.rgba.buffer as ArrayBuffer,
        lo: range.lo,
        hi: range.hi,
        seconds,
        // Frame t is centred on t·hop: the image spans half a hop either side of the first and last centres.
        start: (span.t0 - 0.5) * hopSeconds,
        end: (span.t1 - 0.5) * hopSeconds,
        frames: span.t1 - span.t0,
        stride: hit.stride,
        hopSeconds,
        mode: src.mode,
        ms: cached ? 0 : performance.now() - t,
        readMs,
        warning,
      };
      return res;
    } catch (err) {
      return { id, ok: false, error: (err as Error)?.message ?? String(err) };
    }
  }
}

import { describe, expect, it } from 'vitest';
import { melSpectrogram } from '../../../../shared/dsp/mel';
import { MEL_PRESETS } from '../../../../shared/dsp/melPresets';
import { decodeWav, encodeWav } from '../../../../shared/dsp/wav';
import { MelRenderer } from './melRenderer';
import { displayRange, melToPixels } from './melImage';
import type { MelResponse } from './melProtocol';
import { melOfFrames } from './melWindow';
import { openWavSource, type Fetcher } from './wavSource';

/** Serves bytes like the media routes: 206 for `Range: bytes=a-b`, 200 otherwise; counts bytes sent. */
function mediaServer(bytes: Uint8Array, ranges = true) {
  const stats = { requests: 0, bytes: 0 };
  const fetcher: Fetcher = async (_url, init) => {
    stats.requests++;
    const m = ranges ? /^bytes=(\d+)-(\d+)$/.exec(init?.headers?.Range ?? '') : null;
    if (!m) {
      stats.bytes += bytes.length;
      return new Response(bytes.slice(), { status: 200 });
    }
    const a = Number(m[1]);
    const b = Math.min(bytes.length - 1, Number(m[2]));
    stats.bytes += b - a + 1;
    return new Response(bytes.slice(a, b + 1), { status: 206, headers: { 'Content-Range': `bytes ${a}-${b}/${bytes.length}` } });
  };
  return { fetcher, stats };
}

const sr = 22050;
function speechLike(seconds: number): Float32Array {
  const x = new Float32Array(Math.round(seconds * sr));
  for (let i = 0; i < x.length; i++) x[i] = 0.3 * Math.sin((2 * Math.PI * (300 + ((i / sr) % 7) * 200) * i) / sr) * (Math.floor(i / sr) % 2 ? 1 : 0.05);
  return x;
}
const ok = (r: MelResponse) => {
  if (!r.ok) throw new Error(r.error);
  return r;
};

describe('MelRenderer', () => {
  it('draws the visible window of a clip at the view’s resolution, identical to the whole mel’s frames', async () => {
    const bytes = encodeWav(speechLike(8), sr);
    const x = decodeWav(bytes).channels[0]; // what the file holds (16-bit)
    const { fetcher, stats } = mediaServer(bytes);
    const r = new MelRenderer(fetcher);
    const fit = ok(await r.render({ id: 1, url: 'clip', preset: 'nvidia', columns: 300 }));
    expect(fit.mode).toBe('whole');
    expect(fit.width).toBe(300); // 690 frames (every 2nd computed) pooled into the 300 columns on screen
    expect(fit.frames).toBe(melSpectrogram(x, MEL_PRESETS.nvidia).frames);
    // Zoomed in: 2.0–2.5 s on 800 columns shows that half second's own 44 frames, not a stretched whole.
    const zoom = ok(await r.render({ id: 2, url: 'clip', preset: 'nvidia', start: 2, end: 2.5, columns: 800 }));
    expect(zoom.frames).toBeLessThan(50);
    expect(zoom.width).toBe(zoom.frames);
    expect(zoom.start).toBeLessThanOrEqual(2);
    expect(zoom.end).toBeGreaterThanOrEqual(2.5);
    const whole = melSpectrogram(x, MEL_PRESETS.nvidia);
    const t0 = Math.round(zoom.start / zoom.hopSeconds + 0.5);
    const want = { nMels: 80, frames: zoom.frames, data: new Float32Array(80 * zoom.frames) };
    for (let m = 0; m < 80; m++) want.data.set(whole.data.subarray(m * whole.frames + t0, m * whole.frames + t0 + zoom.frames), m * zoom.frames);
    expect(Array.from(new Uint8ClampedArray(zoom.rgba))).toEqual(Array.from(melToPixels(want, { lo: zoom.lo, hi: zoom.hi }).rgba));
    // The same window again comes from the cache; the audio was fetched once (range probe + whole file).
    const again = ok(await r.render({ id: 3, url: 'clip', preset: 'nvidia', start: 2, end: 2.5, columns: 800 }));
    expect(again.ms).toBe(0);
    expect(stats.requests).toBe(2);
    // Far fewer columns than frames (a narrow view of the whole clip): every 6th frame is computed, then pooled.
    const narrow = ok(await r.render({ id: 4, url: 'clip', preset: 'nvidia', columns: 100 }));
    expect([narrow.stride, narrow.width, narrow.frames]).toEqual([6, 100, fit.frames]);
  });

  it('reads a long recording by range, only the window it shows', async () => {
    // 6 min: over the whole-file limit (lowered here to 1 MB so the spec stays small and quick).
    const bytes = encodeWav(speechLike(360), sr);
    const x = decodeWav(bytes).channels[0];
    const { fetcher, stats } = mediaServer(bytes);
    const r = new MelRenderer(fetcher, 1 << 20);
    const wide = await r.render({ id: 1, url: 'long', preset: 'nvidia', columns: 1000 });
    expect(wide.ok === false && wide.reason).toBe('too-wide');
    expect(stats.bytes).toBeLessThan(100_000); // the header probe only
    // A view under the limit whose margins would pass it: the margins shrink, the view stays whole.
    const near = ok(await r.render({ id: 2, url: 'long', preset: 'nvidia', start: 0, end: 360, visibleStart: 40, visibleEnd: 320, columns: 3600 }));
    expect(near.start).toBeLessThanOrEqual(40);
    expect(near.end).toBeGreaterThanOrEqual(320);
    expect(near.end - near.start).toBeLessThanOrEqual(301);
    const before = stats.bytes;
    const w = ok(await r.render({ id: 3, url: 'long', preset: 'nvidia', start: 300, end: 310, columns: 1200 }));
    expect(w.mode).toBe('ranged');
    expect(stats.bytes - before).toBeLessThan(11 * sr * 2);
    // The same frames as from the samples in memory (melWindow.spec proves those equal the whole-signal mel).
    const t0 = Math.round(w.start / w.hopSeconds + 0.5);
    const ref = await melOfFrames(async (a, b) => x.slice(a, b), x.length, MEL_PRESETS.nvidia, { t0, t1: t0 + w.frames });
    const got = melToPixels(ref, { lo: w.lo, hi: w.hi });
    expect(Array.from(new Uint8ClampedArray(w.rgba))).toEqual(Array.from(got.rgba));
    // The display range is the recording's, not re-stretched per window (a quiet window stays dark).
    const quiet = ok(await r.render({ id: 4, url: 'long', preset: 'nvidia', start: 0.1, end: 0.9, columns: 1200 }));
    expect(quiet.lo).toBeLessThanOrEqual(w.lo);
    expect(displayRange(new Float32Array([quiet.lo, quiet.hi])).hi).toBeGreaterThanOrEqual(w.hi - 1e-6);
  });

  it('answers an overtaken request as stale, and bad audio with a clear error', async () => {
    const { fetcher } = mediaServer(encodeWav(speechLike(1), sr));
    const r = new MelRenderer(fetcher);
    const first = r.render({ id: 1, url: 'c', preset: 'nvidia', start: 0, end: 0.5, columns: 100 });
    const second = r.render({ id: 2, url: 'c', preset: 'nvidia', start: 0.5, end: 1, columns: 100 });
    expect((await first).ok === false && (await first as { reason?: string }).reason).toBe('stale');
    expect((await second).ok).toBe(true);
    const junk = mediaServer(new TextEncoder().encode('not a wav file at all'));
    const bad = await new MelRenderer(junk.fetcher).render({ id: 1, url: 'j', preset: 'nvidia', columns: 10 });
    expect(bad.ok === false && bad.error).toMatch(/RIFF|WAV/i);
  });

  it('falls back to the whole file when the server ignores ranges', async () => {
    const { fetcher, stats } = mediaServer(encodeWav(speechLike(2), sr), false);
    const s = await openWavSource('x', fetcher);
    expect([s.mode, s.totalSamples, stats.requests]).toEqual(['whole', 2 * sr, 1]);
  });
});

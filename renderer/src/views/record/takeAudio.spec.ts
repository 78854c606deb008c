import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../../../shared/dsp/wav';
import { measureRoomTone, sessionsLeft, takeWavBase64 } from './takeAudio';

const noise = (amp: number, n: number) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin(i * 12.9898) * 0.9);

describe('Record view: take audio', () => {
  it('encodes the take as 16-bit PCM WAV at its capture rate (what the service reads)', () => {
    const x = Float32Array.from({ length: 4800 }, (_, i) => 0.5 * Math.sin(i / 10));
    const w = decodeWav(new Uint8Array(Buffer.from(takeWavBase64(x, 48000), 'base64')));
    expect([w.sampleRate, w.channels.length, w.bitsPerSample]).toEqual([48000, 1, 16]);
    expect(Math.abs(w.channels[0]![100]! - x[100]!)).toBeLessThan(1e-4);
  });

  it('room tone: a quiet room is good, hiss at -40 dBFS is noisy, digital silence says the mic is muted; a knock does not raise the floor', () => {
    expect(measureRoomTone(noise(0.0003, 48000), 48000).verdict).toBe('good');
    const hiss = measureRoomTone(noise(0.014, 48000), 48000);
    expect(hiss.verdict).toBe('noisy');
    expect(hiss.floorDbfs).toBeGreaterThan(-43);
    expect(hiss.floorDbfs).toBeLessThan(-38);
    expect(measureRoomTone(new Float32Array(48000), 48000).advice).toMatch(/muted/);
    const knock = noise(0.0003, 48000);
    knock.fill(0.5, 10000, 12000);
    const r = measureRoomTone(knock, 48000);
    expect(r.verdict).toBe('good');
    expect(r.loudestDbfs).toBeGreaterThan(-10);
  });

  it('sessions left follow this session’s pace once it has takes', () => {
    expect(sessionsLeft(1800, 1800, { addedSeconds: 0, minutes: 0, takes: 0 })).toBe(0);
    expect(sessionsLeft(0, 1800, { addedSeconds: 0, minutes: 0, takes: 0 })).toBe(4); // 8 min a session typical
    // 60 s of speech in 5 minutes → 6 min per 30-minute session → 25 min left = 5 sessions.
    expect(sessionsLeft(300, 1800, { addedSeconds: 60, minutes: 5, takes: 6 })).toBe(5);
  });
});

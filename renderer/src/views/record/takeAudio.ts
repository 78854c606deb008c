import { encodeWav } from '../../../../shared/dsp/wav';

/**
 * Pure helpers of the Record view: the take as a WAV the service reads without guessing (16-bit PCM
 * at the rate it was captured), the room-tone measure and its advice, and the estimate of sessions left.
 */

/** The captured samples (mono float) → 16-bit PCM WAV bytes, base64 for the call. */
export function takeWavBase64(samples: Float32Array, sampleRate: number): string {
  return bytesToBase64(encodeWav(samples, sampleRate));
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

export interface RoomTone {
  /** Noise floor: the 20th percentile of 50 ms RMS levels (dBFS); loud moments (a chair, a car) do not count. */
  floorDbfs: number;
  /** Loudest 50 ms (dBFS): speech or a knock during the check shows here. */
  loudestDbfs: number;
  verdict: 'good' | 'fair' | 'noisy' | 'silent';
  advice: string;
}

const db = (x: number) => (x > 0 ? 20 * Math.log10(x) : -120);

export function measureRoomTone(samples: Float32Array, sampleRate: number): RoomTone {
  const frame = Math.max(1, Math.round(0.05 * sampleRate));
  const levels: number[] = [];
  for (let a = 0; a + frame <= samples.length; a += frame) {
    let s = 0;
    for (let i = a; i < a + frame; i++) s += samples[i]! * samples[i]!;
    levels.push(db(Math.sqrt(s / frame)));
  }
  if (!levels.length) return { floorDbfs: -120, loudestDbfs: -120, verdict: 'silent', advice: 'No audio arrived from the microphone. Choose another input or check that it is not muted.' };
  const sorted = [...levels].sort((x, y) => x - y);
  const floor = sorted[Math.floor(0.2 * (sorted.length - 1))]!;
  const loudest = sorted[sorted.length - 1]!;
  const r = (v: number) => Math.round(v * 10) / 10;
  if (floor <= -100)
    return { floorDbfs: r(floor), loudestDbfs: r(loudest), verdict: 'silent', advice: 'The input is digital silence: the microphone is muted, unplugged, or blocked by the system. Choose another input or allow it in the system settings.' };
  if (floor <= -60) return { floorDbfs: r(floor), loudestDbfs: r(loudest), verdict: 'good', advice: 'Quiet room: good for recording.' };
  if (floor <= -45)
    return { floorDbfs: r(floor), loudestDbfs: r(loudest), verdict: 'fair', advice: 'Some background noise. Usable; for a cleaner voice switch off fans, close windows, or move the microphone closer and turn its gain down.' };
  return {
    floorDbfs: r(floor),
    loudestDbfs: r(loudest),
    verdict: 'noisy',
    advice: 'Noisy room: the voice will carry this noise. Find a quieter room (soft furnishings help), switch off fans and air conditioning, or use a closer microphone.',
  };
}

/** Seconds of usable speech a recording session of this length yields, until this session says otherwise. */
export const TYPICAL_YIELD_PER_SESSION_SECONDS = 8 * 60;
export const SESSION_MINUTES = 30;

/**
 * Sessions of SESSION_MINUTES left to reach the goal: from this session's pace (usable seconds added
 * per minute spent here) once it has a few takes, else a typical yield.
 */
export function sessionsLeft(usableSeconds: number, goalSeconds: number, session: { addedSeconds: number; minutes: number; takes: number }): number {
  const left = Math.max(0, goalSeconds - usableSeconds);
  if (left === 0) return 0;
  const perSession = session.takes >= 3 && session.minutes > 0.5 ? (session.addedSeconds / session.minutes) * SESSION_MINUTES : TYPICAL_YIELD_PER_SESSION_SECONDS;
  return Math.ceil(left / Math.max(1, perSession));
}

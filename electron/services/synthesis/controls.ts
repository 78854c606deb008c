import { ServiceError } from '../../../shared/contract/rpc';
import { acousticModelOf, type VoiceManifest } from '../../../shared/contract/voice';

/**
 * Pace and pitch shift, the controls only a duration model offers, checked against the voice before any
 * compute: pace within [1/maxPace, maxPace], pitch within ±maxPitchShift semitones (voice.json `fastpitch`);
 * a Tacotron-2 voice takes neither (its speaking rate comes from attention, not from durations).
 * All refusals are 'bad-input' (the CLI exits 2) with a message naming the value, the range and the voice.
 */
export interface ControlValues {
  pace?: number;
  pitch?: number;
  /** Tacotron-2's stop-token threshold: a duration voice has no stop token, so asking for one is refused. */
  stopThreshold?: number;
}

const fmt = (x: number) => String(+x.toFixed(3));

export function checkAcousticControls(m: VoiceManifest, c: ControlValues): { pace: number; pitch: number } {
  const pace = c.pace ?? 1;
  const pitch = c.pitch ?? 0;
  if (!Number.isFinite(pace) || pace <= 0) throw new ServiceError('bad-input', `pace must be a positive number (1 = as trained, 2 = twice as fast), got ${pace}`);
  if (!Number.isFinite(pitch)) throw new ServiceError('bad-input', `pitch shift must be a number of semitones, got ${pitch}`);
  const model = acousticModelOf(m);
  if (model.kind === 'tacotron2') {
    const asked = [pace !== 1 ? `pace ${fmt(pace)}` : null, pitch !== 0 ? `pitch ${fmt(pitch)}` : null].filter(Boolean).join(' and ');
    if (asked) {
      throw new ServiceError(
        'bad-input',
        `${asked}: only duration voices support pace and pitch shift; "${m.name}" is a Tacotron-2 voice (leave pace at 1 and pitch at 0, or choose a duration voice)`,
      );
    }
    return { pace, pitch };
  }
  if (c.stopThreshold !== undefined) {
    throw new ServiceError('bad-input', `stop threshold ${fmt(c.stopThreshold)}: "${m.name}" is a duration voice, which has no stop token (its durations say where each sentence ends); leave the stop threshold out`);
  }
  const { maxPace, maxPitchShift } = model.fastpitch;
  // A little slack so that 1/maxPace typed as a rounded decimal (0.333) is accepted.
  if (pace > maxPace * (1 + 1e-6) || pace < (1 / maxPace) * (1 - 2e-3)) {
    throw new ServiceError('bad-input', `pace ${fmt(pace)} is out of range for voice "${m.name}": from ${fmt(1 / maxPace)} (slower) to ${fmt(maxPace)} (faster), 1 = as trained`);
  }
  if (Math.abs(pitch) > maxPitchShift + 1e-9) {
    throw new ServiceError('bad-input', `pitch shift ${fmt(pitch)} semitones is out of range for voice "${m.name}": from -${fmt(maxPitchShift)} to +${fmt(maxPitchShift)} semitones`);
  }
  return { pace, pitch };
}

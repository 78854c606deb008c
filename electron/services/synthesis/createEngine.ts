import { acousticModelOf } from '../../../shared/contract/voice';
import type { AcousticModel, EngineOptions } from './acousticModel';
import { Tacotron2Engine } from './engine';
import { FastPitchEngine } from './fastPitchEngine';
import type { VoiceBundle } from './voiceBundle';

/** The engine for the acoustic model the voice holds (voice.json: `tacotron2` or `fastpitch`). */
export function createAcousticModel(bundle: VoiceBundle, opts: EngineOptions = {}): AcousticModel {
  const model = acousticModelOf(bundle.manifest);
  return model.kind === 'fastpitch' ? new FastPitchEngine(bundle, opts) : new Tacotron2Engine(bundle, opts);
}

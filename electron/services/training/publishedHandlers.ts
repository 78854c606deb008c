import type { Api } from '../../../shared/contract/index';
import type { Handlers } from '../../../shared/contract/rpc';
import { resolveUserPath } from '../shell/projectPaths';
import { startAddWaveGlow, startVoiceFromCheckpoints } from './publishedCheckpoints';

/**
 * The app's side of `formant voice`: the files the user chose (NVIDIA's published checkpoints or a run's) become a
 * voice, or a voice's WaveGlow, as jobs (progress, cancel, result) like training.exportVoice.
 */
export const publishedCheckpointHandlers: Partial<Handlers<Api>> = {
  'training.voiceFromCheckpoints': async (input, ctx) => {
    const { jobId } = startVoiceFromCheckpoints(
      {
        tacotron2: resolveUserPath(input.tacotron2),
        waveglow: input.waveglow === undefined ? undefined : resolveUserPath(input.waveglow),
        outDir: resolveUserPath(input.outDir),
        name: input.name,
        weights: input.weights,
      },
      (e) => ctx.emit(e),
    );
    return { jobId };
  },
  'training.addWaveGlow': async (input, ctx) => {
    const { jobId } = startAddWaveGlow({ voiceDir: resolveUserPath(input.voiceDir), waveglow: resolveUserPath(input.waveglow), weights: input.weights }, (e) => ctx.emit(e));
    return { jobId };
  },
};

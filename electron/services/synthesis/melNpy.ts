import { ServiceError } from '../../../shared/contract/rpc';
import type { Mel } from '../../../shared/dsp/mel';

/**
 * A mel spectrogram saved as .npy (the trainer's validation samples, `formant mel`, other Tacotron-2
 * code bases) in the layout the vocoders take: [nMels, F] or [1, nMels, F]; [F, nMels] (Rayhane-mamah's
 * saved layout) is transposed and says so in `note`. Used by `formant vocode` and the training samples.
 */
export function melFromNpy(data: Float32Array, shape: number[], nMels: number): { mel: Mel; note?: string } {
  const dims = shape[0] === 1 && shape.length === 3 ? shape.slice(1) : shape;
  if (dims.length !== 2) throw new ServiceError('bad-input', `mel .npy has shape (${shape.join(', ')}); expected (${nMels}, frames)`);
  const [a, b] = dims;
  if (a === nMels) return { mel: { nMels, frames: b, data } };
  if (b === nMels) {
    const t = new Float32Array(data.length);
    for (let f = 0; f < a; f++) for (let m = 0; m < nMels; m++) t[m * a + f] = data[f * nMels + m];
    return { mel: { nMels, frames: a, data: t }, note: `read (${a}, ${nMels}) as frames × mels and transposed it` };
  }
  throw new ServiceError('bad-input', `mel .npy has shape (${shape.join(', ')}); the preset has ${nMels} mel bands`);
}

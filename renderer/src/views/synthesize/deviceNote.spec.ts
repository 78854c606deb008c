import { splitNotes } from './deviceNote';

describe('synthesis notes for people', () => {
  it('turns the missing CUDA provider note into "Running on CPU", keeping the details', () => {
    const why = 'GPU execution provider unavailable (cuda: libonnxruntime_providers_cuda.so is not installed (npm downloads it online; ONNXRUNTIME_NODE_INSTALL=skip leaves it out)); running on CPU';
    const s = splitNotes([why, 'sentence 2 was split at a comma']);
    expect(s.device).toBe('Running on CPU');
    expect(s.deviceDetails).toEqual([why]);
    expect(s.other).toEqual(['sentence 2 was split at a comma']);
  });
  it('names the GPU when one ran', () => {
    expect(splitNotes(['running on the cuda execution provider']).device).toBe('Running on the GPU (CUDA)');
  });
  it('says nothing about the device when no note does', () => {
    expect(splitNotes(['x'])).toEqual({ device: null, deviceDetails: [], other: ['x'] });
  });
});

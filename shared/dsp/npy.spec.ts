import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from './npy';

describe('npy', () => {
  it('writes the exact bytes numpy.save writes for float32 C-order (header padded to 64)', () => {
    const bytes = writeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + new DataView(bytes.buffer).getUint16(8, true)));
    // np.save(f, np.arange(1,7,dtype='<f4').reshape(2,3)) writes exactly this header (numpy ≥ 1.9)
    expect(header).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + ' '.repeat(58) + '\n');
    expect((10 + header.length) % 64).toBe(0);
    expect(bytes.length).toBe(128 + 24);
  });

  it('round-trips shapes including 1-D and empty', () => {
    for (const [arr, shape] of [
      [new Float32Array([0.5, -1e-7, 3e38]), [3]],
      [new Float32Array(80 * 7).map((_, i) => Math.sin(i)), [80, 7]],
      [new Float32Array(0), [80, 0]],
    ] as const) {
      const r = readNpy(writeNpy(arr, [...shape]));
      expect(r.shape).toEqual(shape);
      expect(r.data).toEqual(arr);
    }
  });

  it('reads float64 and Fortran-order files, converting to float32 C order', () => {
    const header = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }";
    const h = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
    const out = new Uint8Array(10 + h.length + 48);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(out.buffer).setUint16(8, h.length, true);
    out.set(new TextEncoder().encode(h), 10);
    // Fortran order of [[1,2,3],[4,5,6]] is 1,4,2,5,3,6
    new Float64Array(out.buffer, 10 + h.length, 6).set([1, 4, 2, 5, 3, 6]);
    const r = readNpy(out);
    expect(r.shape).toEqual([2, 3]);
    expect(Array.from(r.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects non-npy, truncated and mismatched data with clear errors', () => {
    expect(() => readNpy(new Uint8Array([1, 2, 3]))).toThrow(/not a .npy file/);
    const b = writeNpy(new Float32Array(10), [10]);
    expect(() => readNpy(b.subarray(0, b.length - 4))).toThrow(/truncated .npy: shape \(10\) needs 40 bytes/);
    expect(() => writeNpy(new Float32Array(5), [2, 3])).toThrow(/holds 6 values/);
  });
});

/**
 * NumPy .npy (format 1.0/2.0/3.0) for float32 arrays in C order: what `formant mel` writes
 * and the trainer's numpy reads (np.load) and writes (np.save). float64 and int16/32 are
 * accepted on read and converted to float32; Fortran order and big-endian data too.
 */

export class NpyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NpyError';
  }
}

export interface NpyArray {
  data: Float32Array;
  shape: number[];
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function writeNpy(array: Float32Array, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(`writeNpy: bad shape [${shape.join(', ')}]`);
  if (count !== array.length) throw new NpyError(`writeNpy: shape [${shape.join(', ')}] holds ${count} values, the array has ${array.length}`);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // magic(6) + version(2) + len(2) + header + '\n' is padded with spaces to a multiple of 64
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + array.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < array.length; i++) dv.setFloat32(i * 4, array[i], true);
  return out;
}

export function readNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyError('not a .npy file (missing \\x93NUMPY magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number, start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    start = 12;
  } else throw new NpyError(`unsupported .npy version ${major}`);
  if (start + headerLen > bytes.length) throw new NpyError('truncated .npy header');
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1] === 'True';
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw new NpyError(`malformed .npy header: ${header.trim()}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(`malformed .npy shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const little = descr[0] !== '>';
  const kind = descr.replace(/^[<>|=]/, '');
  const size = { f4: 4, f8: 8, i2: 2, i4: 4 }[kind];
  if (!size) throw new NpyError(`unsupported .npy dtype ${descr} (float32/float64/int16/int32 only)`);
  const dataStart = start + headerLen;
  if (dataStart + count * size > bytes.length) {
    throw new NpyError(`truncated .npy: shape (${shape.join(', ')}) needs ${count * size} bytes of data, the file has ${bytes.length - dataStart}`);
  }
  const raw = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const p = dataStart + i * size;
    raw[i] =
      kind === 'f4' ? view.getFloat32(p, little) : kind === 'f8' ? view.getFloat64(p, little) : kind === 'i2' ? view.getInt16(p, little) : view.getInt32(p, little);
  }
  if (!fortran || shape.length < 2) return { data: raw, shape };
  // Fortran order → C order
  const data = new Float32Array(count);
  const strideF = shape.map((_, i) => shape.slice(0, i).reduce((a, b) => a * b, 1));
  const idx = new Array(shape.length).fill(0);
  for (let c = 0; c < count; c++) {
    let f = 0;
    for (let d = 0; d < shape.length; d++) f += idx[d] * strideF[d];
    data[c] = raw[f];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return { data, shape };
}

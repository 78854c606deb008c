/**
 * The synthesis result's notes as a person reads them: the engine says which execution provider it ran on and
 * why no GPU was used, in words for developers (library names, install variables). The person needs one line,
 * "Running on CPU" (or on the GPU), with the engine's words behind a disclosure; other notes stay as they are.
 */
export interface SplitNotes {
  /** "Running on CPU", "Running on the GPU (CUDA)"; null when no note says where it ran. */
  device: string | null;
  /** The engine's own words about the device, for the disclosure. */
  deviceDetails: string[];
  other: string[];
}

const GPU = /running on the (\w+) execution provider/i;
const CPU = /running on CPU/i;

export function splitNotes(notes: readonly string[]): SplitNotes {
  const out: SplitNotes = { device: null, deviceDetails: [], other: [] };
  for (const n of notes) {
    const gpu = GPU.exec(n);
    if (gpu) {
      out.device = `Running on the GPU (${gpu[1].toUpperCase()})`;
      out.deviceDetails.push(n);
    } else if (CPU.test(n)) {
      out.device ??= 'Running on CPU';
      out.deviceDetails.push(n);
    } else out.other.push(n);
  }
  return out;
}

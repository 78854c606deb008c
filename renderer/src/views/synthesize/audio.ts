/**
 * Audio helpers of the Synthesize view: WAVs arrive as base64 (from the API); they become Blobs
 * for <audio> / download, and a StreamPlayer plays the per-sentence pieces of a running synthesis
 * back to back, so listening starts after the first sentence.
 */
export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function wavBlob(b64: string): Blob {
  return new Blob([base64ToBytes(b64)], { type: 'audio/wav' });
}

/** A file name for an export: the first words of the text, filesystem-safe. */
export function exportFileName(text: string, when = new Date()): string {
  const words = text
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .split(/\s+/)
    .slice(0, 6)
    .join('-')
    .toLowerCase()
    .slice(0, 48);
  const stamp = when.toISOString().slice(0, 19).replace(/[-:T]/g, '');
  return `${words || 'speech'}-${stamp}.wav`;
}

/**
 * When the next piece starts: right after the previous one (gapless), or — when synthesis fell
 * behind playback — a short lead-in from now, so a late piece never starts in the past.
 */
export function nextStart(previousEnd: number, now: number, leadIn = 0.05): number {
  return Math.max(previousEnd, now + leadIn);
}

/** Plays streamed WAV pieces in order, gaplessly, through Web Audio (browser only). */
export class StreamPlayer {
  private ctx: AudioContext | null = null;
  private end = 0;
  private chain: Promise<void> = Promise.resolve();
  private sources: AudioBufferSourceNode[] = [];

  enqueue(b64: string): void {
    const bytes = base64ToBytes(b64);
    this.chain = this.chain.then(async () => {
      this.ctx ??= new AudioContext();
      const buffer = await this.ctx.decodeAudioData(bytes.buffer.slice(0));
      if (!this.ctx) return; // stopped meanwhile
      const src = this.ctx.createBufferSource();
      src.buffer = buffer;
      src.connect(this.ctx.destination);
      const at = nextStart(this.end, this.ctx.currentTime);
      src.start(at);
      this.end = at + buffer.duration;
      this.sources.push(src);
    });
  }

  stop(): void {
    for (const s of this.sources) s.stop();
    this.sources = [];
    void this.ctx?.close();
    this.ctx = null;
    this.end = 0;
  }
}

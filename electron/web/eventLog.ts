import { randomBytes } from 'node:crypto';
import type { ServiceEvent } from '../../shared/contract/rpc';

/**
 * The web server's recent events, so a browser whose event stream broke (sleep, flaky tunnel,
 * server busy) gets what it missed instead of losing job progress. Each event gets an id
 * `<epoch>-<seq>`: the epoch is random per server launch (the token's session), seq counts up.
 * EventSource sends the last id it saw as `Last-Event-ID` when it reconnects; `since()` answers
 * with the frames after it, in order, or says that a replay is impossible (another launch, or
 * older than the bounded ring holds) so the client re-checks its jobs instead.
 */
export const DEFAULT_EVENT_RING = 2048;

export interface LoggedEvent {
  seq: number;
  id: string;
  /** The SSE frame, ready to write. */
  frame: string;
}

export type Replay = { ok: true; frames: string[] } | { ok: false; reason: 'other-session' | 'too-old' | 'malformed' };

export class EventLog {
  readonly epoch: string;
  private readonly ring: (LoggedEvent | undefined)[];
  private next = 1;

  constructor(readonly capacity = DEFAULT_EVENT_RING, epoch = randomBytes(6).toString('hex')) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`event ring capacity must be a positive integer (got ${capacity})`);
    this.epoch = epoch;
    this.ring = new Array(capacity);
  }

  /** Adds an event; returns its id and frame. */
  append(e: ServiceEvent): LoggedEvent {
    const seq = this.next++;
    const id = `${this.epoch}-${seq}`;
    const entry = { seq, id, frame: `id: ${id}\ndata: ${JSON.stringify(e)}\n\n` };
    this.ring[seq % this.capacity] = entry;
    return entry;
  }

  /** Sequence number of the newest event (0 before the first). */
  get last(): number {
    return this.next - 1;
  }

  /** Frames after `lastEventId` (as EventSource sends it), oldest first. */
  since(lastEventId: string): Replay {
    const m = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId.trim());
    if (!m) return { ok: false, reason: 'malformed' };
    if (m[1] !== this.epoch) return { ok: false, reason: 'other-session' };
    const seen = Number(m[2]);
    if (seen > this.last) return { ok: false, reason: 'malformed' };
    const oldest = Math.max(1, this.next - this.capacity);
    if (seen + 1 < oldest) return { ok: false, reason: 'too-old' };
    const frames: string[] = [];
    for (let s = seen + 1; s < this.next; s++) frames.push(this.ring[s % this.capacity]!.frame);
    return { ok: true, frames };
  }
}

/** The frame that tells a reconnecting client its missed events are gone (it re-checks its jobs). */
export function resetFrame(reason: string, log: EventLog): string {
  // The id makes the client's next reconnect resume from here rather than repeat the reset.
  return `id: ${log.epoch}-${log.last}\nevent: reset\ndata: ${JSON.stringify({ reason })}\n\n`;
}

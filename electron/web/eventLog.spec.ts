import { describe, expect, it } from 'vitest';
import { EventLog, resetFrame } from './eventLog';

const log = (n: number) => ({ type: 'log' as const, level: 'info' as const, message: `m${n}` });
const messages = (frames: string[]) => frames.map((f) => JSON.parse(/^data: (.*)$/m.exec(f)![1]).message);

describe('EventLog', () => {
  it('numbers events and replays those after a given id, in order', () => {
    const l = new EventLog(8, 'abc');
    const ids = [1, 2, 3, 4].map((n) => l.append(log(n)).id);
    expect(ids).toEqual(['abc-1', 'abc-2', 'abc-3', 'abc-4']);
    expect(l.append(log(5)).frame).toBe(`id: abc-5\ndata: ${JSON.stringify(log(5))}\n\n`);
    const r = l.since('abc-2');
    expect(r.ok && messages(r.frames)).toEqual(['m3', 'm4', 'm5']);
    const none = l.since('abc-5');
    expect(none.ok && none.frames).toEqual([]);
    // Before the first event: the client saw the reset frame of an empty log.
    const all = new EventLog(4, 'e0').since('e0-0');
    expect(all.ok && all.frames).toEqual([]);
  });

  it('keeps a bounded ring and says when a replay is impossible', () => {
    const l = new EventLog(3, 'abc');
    for (let n = 1; n <= 10; n++) l.append(log(n));
    const r = l.since('abc-7'); // 8, 9, 10 are still in the ring
    expect(r.ok && messages(r.frames)).toEqual(['m8', 'm9', 'm10']);
    expect(l.since('abc-6')).toEqual({ ok: false, reason: 'too-old' });
    expect(l.since('def-9')).toEqual({ ok: false, reason: 'other-session' });
    expect(l.since('abc-11')).toEqual({ ok: false, reason: 'malformed' });
    expect(l.since('garbage')).toEqual({ ok: false, reason: 'malformed' });
    expect(resetFrame('too-old', l)).toBe('id: abc-10\nevent: reset\ndata: {"reason":"too-old"}\n\n');
    expect(() => new EventLog(0)).toThrow(/positive/);
  });
});

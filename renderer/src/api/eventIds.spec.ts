import { describe, expect, it } from 'vitest';
import { EventIdTracker } from './client';

describe('EventIdTracker', () => {
  it('drops events already delivered, per server launch', () => {
    const t = new EventIdTracker();
    expect(['a1-1', 'a1-2', 'a1-2', 'a1-1', 'a1-3'].map((id) => t.accept(id))).toEqual([true, true, false, false, true]);
    // A new launch (the server restarted) starts over from its own ids.
    expect(t.accept('b7-1')).toBe(true);
    expect(t.accept('b7-1')).toBe(false);
    // Frames without an id (older servers) always pass.
    expect(t.accept('')).toBe(true);
  });
});

import { describeEvent, formatSeconds, parseTrainerLine } from './trainerEvents';

describe('trainer JSON lines', () => {
  it('parses only JSON events', () => {
    expect(parseTrainerLine('warning: x')).toBeNull();
    expect(parseTrainerLine('{"no":"event"}')).toBeNull();
    expect(parseTrainerLine('{"event":"step","step":1,')).toBeNull();
    const e = parseTrainerLine('{"event":"step","step":3,"loss":0.25,"grad_norm":1.5,"steps_per_s":2,"eta_s":3600,"extra":1}');
    expect(e?.step).toBe(3);
    expect((e as Record<string, unknown>).extra).toBe(1);
    expect(describeEvent(e!)).toContain('loss 0.2500');
    expect(describeEvent(e!)).not.toContain('frames/s'); // older runs log no frames/s
    expect(describeEvent(parseTrainerLine('{"event":"step","step":3,"loss":0.25,"steps_per_s":0.5,"frames_per_s":1234.4,"eta_s":600}')!)).toContain(
      '0.500 steps/s (1234 frames/s) ETA 10m',
    );
    // the duration model's parts beside its total (a lone total adds nothing)
    const fp = parseTrainerLine('{"event":"step","model":"fastpitch","step":7,"loss":3.5,"losses":{"total":3.5,"mel":1.25,"duration":0.5,"pitch":0.75}}');
    expect(describeEvent(fp!)).toContain('loss 3.5000 (mel 1.250 duration 0.500 pitch 0.750) grad');
    expect(describeEvent(parseTrainerLine('{"event":"step","step":1,"loss":2,"losses":{"total":2}}')!)).toContain('loss 2.0000 grad');
  });

  it('formats durations for people', () => {
    expect(formatSeconds(42)).toBe('42s');
    expect(formatSeconds(600)).toBe('10m');
    expect(formatSeconds(7200)).toBe('2.0h');
  });
});

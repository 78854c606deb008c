/* global registerProcessor, AudioWorkletProcessor */
// The Record view's capture (AudioWorklet: runs on the audio thread, so a busy page never drops samples).
// While recording, the first input is mixed to mono and posted in ~50 ms batches with the count of clipped
// samples; 'stop' posts what is left and then 'stopped', so the page knows it has every sample.
const BATCH = 2048;

class RecorderProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.recording = false;
    this.buffer = new Float32Array(BATCH);
    this.filled = 0;
    this.clipped = 0;
    this.port.onmessage = (e) => {
      if (e.data === 'start') {
        this.recording = true;
        this.filled = 0;
        this.clipped = 0;
      } else if (e.data === 'stop') {
        this.flush();
        this.recording = false;
        this.port.postMessage({ type: 'stopped' });
      }
    };
  }

  flush() {
    if (!this.filled) return;
    const samples = this.buffer.slice(0, this.filled);
    this.port.postMessage({ type: 'samples', samples, clipped: this.clipped }, [samples.buffer]);
    this.filled = 0;
    this.clipped = 0;
  }

  process(inputs) {
    const input = inputs[0];
    if (!this.recording || !input || !input.length) return true;
    const n = input[0].length;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let c = 0; c < input.length; c++) v += input[c][i];
      v /= input.length;
      if (v >= 0.999 || v <= -0.999) this.clipped++;
      this.buffer[this.filled++] = v;
      if (this.filled === BATCH) this.flush();
    }
    return true;
  }
}

registerProcessor('formant-recorder', RecorderProcessor);

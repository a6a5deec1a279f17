// Runs on the audio thread: the microphone's samples (the context runs at 24 kHz) as 16-bit PCM, posted
// in pieces of 100 ms, the format the realtime API's `audio/pcm` takes.
class Pcm16 extends AudioWorkletProcessor {
  constructor() {
    super();
    this.piece = new Int16Array(2400);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i += 1) {
      const sample = Math.max(-1, Math.min(1, channel[i]));
      this.piece[this.filled] = sample < 0 ? sample * 0x8000 : sample * 0x7fff;
      this.filled += 1;
      if (this.filled === this.piece.length) {
        this.port.postMessage(this.piece.buffer, [this.piece.buffer]);
        this.piece = new Int16Array(2400);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor("pcm16", Pcm16);

// Recording from the microphone. While the person speaks, the audio goes to the realtime API
// (/v1/realtime?intent=transcription, server VAD) and each turn's text comes back as it is said; the
// recording itself is kept, to be played back. Where live transcription cannot start (turned off, every
// seat taken, a browser without AudioWorklet), the recording is transcribed as a file when it stops.

const RATE = 24000;

function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function openSocket(key) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const protocols = ["realtime"];
  if (key) protocols.push(`openai-insecure-api-key.${key}`);
  const socket = new WebSocket(`${scheme}://${location.host}/v1/realtime?intent=transcription`, protocols);
  return new Promise((resolve, reject) => {
    socket.onopen = () => resolve(socket);
    socket.onerror = () => reject(new Error("no live session"));
  });
}

export class Microphone {
  // `listener`: turn(id, text, final), turnTimes(id, start, end), status(words), problem(words).
  constructor(listener) {
    this.listener = listener;
    this.turns = new Map();
    this.socket = null;
  }

  async start({ model, language, key }) {
    // The microphone as it is: the browser's call processing (noise suppression, gain control, echo
    // cancellation) clipped word ends Whisper needs. With it, Chromium's fake microphone playing jfk.flac
    // came back "my fellow America" in 5 runs of 8; without, "Americans" in 13 of 13.
    const raw = { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false };
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: raw });
    this.chunks = [];
    this.recorder = new MediaRecorder(this.stream);
    this.recorder.ondataavailable = (event) => event.data.size && this.chunks.push(event.data);
    this.recorder.start(500);
    this.startedAt = performance.now();
    try {
      this.socket = await openSocket(key);
      this.configure(model, language);
      await this.stream_pcm();
      this.listener.status("Listening. The text appears as you speak.");
    } catch {
      this.socket?.close();
      this.socket = null;
      this.listener.status("Recording. Live text is not available here: the recording is transcribed when you stop.");
    }
  }

  get live() {
    return this.socket !== null;
  }

  configure(model, language) {
    const transcription = { model, ...(language ? { language } : {}) };
    this.send({
      type: "session.update",
      session: {
        type: "transcription",
        audio: { input: { format: { type: "audio/pcm", rate: RATE }, transcription, turn_detection: { type: "server_vad" } } },
      },
    });
    this.socket.onmessage = (message) => this.heard(JSON.parse(message.data));
    this.socket.onclose = () => { this.socket = null; };
  }

  async stream_pcm() {
    this.context = new AudioContext({ sampleRate: RATE });
    await this.context.audioWorklet.addModule("/web/pcm-worklet.js");
    this.worklet = new AudioWorkletNode(this.context, "pcm16");
    this.worklet.port.onmessage = (event) => this.send({ type: "input_audio_buffer.append", audio: base64(event.data) });
    this.context.createMediaStreamSource(this.stream).connect(this.worklet);
    // Connected to the output (it writes silence) so the browser keeps pulling audio through it.
    this.worklet.connect(this.context.destination);
  }

  send(event) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(event));
  }

  heard(event) {
    const id = event.item_id;
    if (event.type === "input_audio_buffer.speech_started") {
      this.turns.set(id, { start: event.audio_start_ms / 1000, end: null, text: "", final: false });
    } else if (event.type === "input_audio_buffer.committed") {
      this.turn(id);  // waited for on stop, even when no speech was heard in it
    } else if (event.type === "input_audio_buffer.speech_stopped") {
      this.turn(id).end = event.audio_end_ms / 1000;
    } else if (event.type === "conversation.item.input_audio_transcription.delta") {
      this.turn(id).text += event.delta;
      this.listener.turn(id, this.turn(id).text, false);
    } else if (event.type === "conversation.item.input_audio_transcription.completed") {
      Object.assign(this.turn(id), { text: event.transcript, final: true });
      this.listener.turn(id, event.transcript, true);
    } else if (event.type === "conversation.item.input_audio_transcription.failed") {
      Object.assign(this.turn(id), { final: true });
      this.listener.problem(`A part of the recording could not be transcribed: ${event.error?.message || ""}`);
    } else if (event.type === "error" && event.error?.code !== "input_audio_buffer_commit_empty") {
      this.listener.problem(`Live transcription: ${event.error?.message || "an error"}`);
    }
  }

  turn(id) {
    if (!this.turns.has(id)) this.turns.set(id, { start: null, end: null, text: "", final: false });
    return this.turns.get(id);
  }

  // Stops recording; resolves to the recording once every turn said so far has its final text.
  async stop() {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const recorded = new Promise((resolve) => { this.recorder.onstop = resolve; });
    this.recorder.stop();
    this.stream.getTracks().forEach((track) => track.stop());
    await this.context?.close();
    this.send({ type: "input_audio_buffer.commit" });  // a turn still being spoken
    await recorded;
    if (this.live) await this.settled(30_000);
    this.socket?.close();
    const type = this.chunks[0]?.type || "audio/webm";
    return { blob: new Blob(this.chunks, { type }), seconds };
  }

  settled(limit) {
    return new Promise((resolve) => {
      const began = performance.now();
      const check = () => {
        const pending = [...this.turns.values()].some((turn) => !turn.final);
        if (!pending || !this.live || performance.now() - began > limit) resolve();
        else setTimeout(check, 100);
      };
      setTimeout(check, 300);
    });
  }

  // The turns as a transcript: each turn a segment, timed by the server's VAD.
  transcript(seconds) {
    const segments = [...this.turns.values()]
      .filter((turn) => turn.text.trim())
      .map((turn, id) => ({ id, start: turn.start ?? 0, end: turn.end ?? seconds, text: ` ${turn.text.trim()}` }));
    return { text: segments.map((s) => s.text.trim()).join(" "), duration: seconds, segments, words: [] };
  }
}

// The "Speak" panel: text read aloud by POST /v1/audio/speech, played while it streams, then offered
// for download. mp3 plays as it arrives through Media Source Extensions where the browser has them
// for audio/mpeg (Chromium does); any other format, or a browser without them, plays once complete.

const CONTENT_TYPES = { mp3: "audio/mpeg", opus: "audio/ogg", aac: "audio/aac", flac: "audio/flac", wav: "audio/wav" };

function el(id) {
  return document.getElementById(id);
}

function key() {
  return el("key")?.value.trim() || "";
}

function say(message) {
  const error = el("speak-error");
  error.textContent = message;
  error.hidden = !message;
}

async function refuse(response) {
  let message = "";
  try {
    message = (await response.json()).error?.message || "";
  } catch {
    // not OpenAI's envelope: the status says enough
  }
  if (response.status === 401) return "This server needs an API key. Enter it under “API key”.";
  if (response.status === 429) {
    return `The server is busy. Try again in ${response.headers.get("retry-after") || "a few"} seconds.`;
  }
  return message || `The server answered with status ${response.status}.`;
}

async function loadVoices() {
  const headers = key() ? { Authorization: `Bearer ${key()}` } : {};
  try {
    const response = await fetch("/v1/audio/voices", { headers });
    if (!response.ok) return;
    const select = el("speak-voice");
    select.replaceChildren();
    for (const voice of (await response.json()).voices) {
      select.append(new Option(voice.name, voice.id));
    }
  } catch {
    // keep the voice already listed in the page
  }
}

function streamingPlayer(player, format) {
  if (format !== "mp3" || !window.MediaSource || !MediaSource.isTypeSupported("audio/mpeg")) return null;
  const source = new MediaSource();
  player.src = URL.createObjectURL(source);
  const opened = new Promise((resolve) => source.addEventListener("sourceopen", resolve, { once: true }));
  let buffer = null;
  const appended = () => new Promise((resolve) => buffer.addEventListener("updateend", resolve, { once: true }));
  return {
    async add(chunk) {
      await opened;
      buffer ||= source.addSourceBuffer("audio/mpeg");
      buffer.appendBuffer(chunk);
      await appended();
      if (player.paused) player.play().catch(() => {});
    },
    async end() {
      await opened;
      if (source.readyState === "open") source.endOfStream();
    },
  };
}

async function speak() {
  const text = el("speak-text").value;
  const format = el("speak-format").value;
  say("");
  el("speak-download").hidden = true;
  const button = el("speak-button");
  button.disabled = true;
  try {
    const body = { model: "tts-1", voice: el("speak-voice").value, input: text, response_format: format, speed: Number(el("speak-speed").value) };
    const headers = { "Content-Type": "application/json", ...(key() ? { Authorization: `Bearer ${key()}` } : {}) };
    let response;
    try {
      response = await fetch("/v1/audio/speech", { method: "POST", headers, body: JSON.stringify(body) });
    } catch {
      say("Could not reach the server. Check that it is running and the address is right.");
      return;
    }
    if (!response.ok) {
      say(await refuse(response));
      return;
    }
    const player = el("speak-player");
    player.hidden = false;
    const live = streamingPlayer(player, format);
    const chunks = [];
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      if (live) await live.add(value);
    }
    const blob = new Blob(chunks, { type: CONTENT_TYPES[format] || "application/octet-stream" });
    if (live) await live.end();
    else {
      player.src = URL.createObjectURL(blob);
      player.play().catch(() => {});
    }
    const link = el("speak-download");
    link.href = URL.createObjectURL(blob);
    link.download = `speech.${format}`;
    link.hidden = false;
    el("speak-meta").textContent = `${blob.size.toLocaleString()} bytes, read by ${response.headers.get("x-auricle-voice") || "the server"}`;
  } finally {
    button.disabled = false;
  }
}

function setUp() {
  el("speak-button").addEventListener("click", speak);
  el("speak-speed").addEventListener("input", () => {
    el("speak-speed-value").textContent = `${Number(el("speak-speed").value).toFixed(2)}×`;
  });
  el("key")?.addEventListener("change", loadVoices);
  loadVoices();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
else setUp();

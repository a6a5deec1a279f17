// This server's OpenAI-style API, as the page uses it; every failure becomes an ApiError in plain words.

export class ApiError extends Error {
  constructor(message, status = 0) {
    super(message);
    this.status = status;
  }
}

function authorised(key) {
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export function plainWords(status, message, { keyGiven = false, retryAfter = null } = {}) {
  if (status === 401) {
    return keyGiven
      ? "The server did not accept this API key. Check the key under “API key”."
      : "This server needs an API key. Enter it under “API key”.";
  }
  if (status === 413) return "The file is larger than this server accepts. Try a shorter or smaller file.";
  // Out of quota (no retry-after): the server's words say what the request needs and what is left.
  if (status === 429 && !retryAfter && message) return message;
  if (status === 429) return `The server is busy. Try again in ${retryAfter || "a few"} seconds.`;
  if (status >= 500) return `The server failed on this request. ${message}`.trim();
  return message || `The server answered with status ${status}.`;
}

async function call(url, init, key) {
  let response;
  try {
    response = await fetch(url, { ...init, headers: { ...authorised(key), ...(init.headers || {}) } });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError("Could not reach the server. Check that it is running and the address is right.");
  }
  if (response.ok) return response;
  let message = "";
  try {
    message = (await response.json()).error?.message || "";
  } catch {
    // Not OpenAI's envelope (a proxy's page): the status says enough.
  }
  const retryAfter = response.headers.get("retry-after");
  throw new ApiError(plainWords(response.status, message, { keyGiven: Boolean(key), retryAfter }), response.status);
}

export async function listModels(key) {
  const response = await call("/v1/models", {}, key);
  return (await response.json()).data.map((model) => model.id);
}

export async function listLanguages() {
  const response = await call("/web/languages.json", {}, "");
  return response.json();
}

function audioForm(file, fields) {
  const form = new FormData();
  form.append("file", file, file.name || "recording.webm");
  for (const [name, value] of fields) if (value) form.append(name, value);
  return form;
}

// Transcribes with stream=true: `onText` is told each piece of text as soon as it is final; resolves to
// the done event, which (asked with include[]=segments) carries verbose_json's segments and words too.
export async function transcribe({ file, model, language, key }, onText, signal) {
  const form = audioForm(file, [
    ["model", model], ["language", language], ["response_format", "json"],
    ["stream", "true"], ["include[]", "segments"],
  ]);
  const response = await call("/v1/audio/transcriptions", { method: "POST", body: form, signal }, key);
  let done = null;
  for await (const event of serverSentEvents(response.body)) {
    if (event.type === "transcript.text.delta") onText(event.delta);
    else if (event.type === "transcript.text.done") done = event;
    else if (event.error) throw new ApiError(`The transcription failed: ${event.error.message}`, 500);
  }
  if (!done) throw new ApiError("The server stopped before the transcript was finished. Try again.");
  return done;
}

// Who spoke when: diarized_json (OpenAI's TranscriptionDiarized), whole rather than streamed, as its
// speakers are known only once all the audio is heard. Segments carry speakers "A", "B", ...
export async function diarize({ file, model, language, key }, signal) {
  const form = audioForm(file, [
    ["model", model], ["language", language], ["response_format", "diarized_json"],
    ["chunking_strategy", "auto"],
  ]);
  const response = await call("/v1/audio/transcriptions", { method: "POST", body: form, signal }, key);
  return response.json();
}

export async function translate({ file, model, key }, signal) {
  const form = audioForm(file, [["model", model], ["response_format", "verbose_json"]]);
  const response = await call("/v1/audio/translations", { method: "POST", body: form, signal }, key);
  return response.json();
}

async function* serverSentEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let end;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      for (const line of block.split("\n")) {
        if (line.startsWith("data: ")) yield JSON.parse(line.slice(6));
      }
    }
  }
}

// Calls every response format of both audio endpoints with OpenAI's Node SDK and prints what the SDK
// handed back, so the Python test can check it. The Node SDK parses a body as JSON only when its
// content type is application/json, and returns a string otherwise: this is the check of that.
import fs from "node:fs";
import OpenAI from "openai";

const [baseURL, audioPath] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: "not-needed", maxRetries: 0 });
const file = () => fs.createReadStream(audioPath);
const results = {};

for (const format of ["json", "text", "srt", "vtt", "verbose_json"]) {
  const value = await client.audio.transcriptions.create({
    model: "whisper-1",
    file: file(),
    response_format: format,
    ...(format === "verbose_json" ? { timestamp_granularities: ["word", "segment"] } : {}),
  });
  results[format] = { type: typeof value, value };
}
const translation = await client.audio.translations.create({ model: "whisper-1", file: file() });
results.translation = { type: typeof translation, value: translation };

// stream: true gives an async iterable of the events, parsed from the SSE body.
const stream = await client.audio.transcriptions.create({ model: "whisper-1", file: file(), stream: true });
results.stream = [];
for await (const event of stream) {
  results.stream.push(event);
}

try {
  await client.audio.transcriptions.create({ model: "whisper-1", file: file(), language: "auto" });
} catch (error) {
  results.error = { status: error.status, code: error.code, param: error.param, type: error.type };
}
console.log(JSON.stringify(results));

// Calls POST /v1/audio/speech with OpenAI's Node SDK in every format, streaming the body to a file as the
// SDK's docs show, and prints what came back so the Python test can decode and check it.
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import OpenAI from "openai";

const [baseURL, outDir] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: "not-needed", maxRetries: 0 });
const results = {};

for (const format of ["mp3", "opus", "aac", "flac", "wav", "pcm"]) {
  const response = await client.audio.speech.create({
    model: "gpt-4o-mini-tts",
    voice: "coral",
    input: "Hello from the Node SDK, which costs $0 to run.",
    instructions: "Speak in a cheerful and positive tone.",
    response_format: format,
  });
  const path = `${outDir}/speech.${format}`;
  await pipeline(Readable.fromWeb(response.body), fs.createWriteStream(path));
  results[format] = { contentType: response.headers.get("content-type"), path };
}
try {
  await client.audio.speech.create({ model: "tts-1", voice: "robot", input: "Hello." });
} catch (error) {
  results.error = { status: error.status, code: error.code, param: error.param, type: error.type };
}
console.log(JSON.stringify(results));

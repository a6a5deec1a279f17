// The page: pick, drop or record audio, watch the text arrive, play it back word by word, download it.
import { ApiError, diarize, listLanguages, listModels, transcribe, translate } from "./api.js";
import { showBalance } from "./balance.js";
import { Microphone } from "./microphone.js";
import { Speakers, hasSpeakers, showLegend } from "./speakers.js";
import { FORMATS } from "./subtitles.js";
import { WordView } from "./words.js";

const $ = (id) => document.getElementById(id);
const KEY_STORE = "auricle.apiKey";
const page = {
  transcript: null,
  name: "transcript",
  busy: false,
  microphone: null,
  view: new WordView($("transcript"), $("player")),
  speakers: new Speakers(renamed),
};

// Names as the person gave them, for the downloads and the format preview.
const named = (label) => page.speakers.name(label);

// A speaker renamed in the legend: the transcript's labels and the preview follow; downloads are made
// on click, so they carry the name as it is then.
function renamed() {
  page.view.relabel(page.speakers);
  showFormat();
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

function failed(error) {
  showError(error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`);
  if (error.status === 401) $("key-box").open = true;
}

function choices() {
  return { model: $("model").value, language: $("language").value, key: $("key").value.trim() };
}

function setBusy(busy) {
  page.busy = busy;
  $("file").disabled = busy;
  $("record").disabled = busy && !page.microphone;
}

// ---- progress: elapsed time while the server works; text arriving is the rest of the progress
let ticking = null;
function progress(label) {
  clearInterval(ticking);
  $("progress").hidden = !label;
  if (!label) return;
  const began = performance.now();
  $("progress-fill").style.width = "0";
  const tick = () => {
    const seconds = Math.round((performance.now() - began) / 1000);
    $("progress-text").textContent = `${label} ${seconds} s`;
    const duration = $("player").duration;
    // About ten times faster than real time on a small server: a guide, never past 95%.
    const share = Number.isFinite(duration) && duration > 0 ? Math.min(0.95, seconds / (duration / 10 + 1)) : 0.5;
    $("progress-fill").style.width = `${Math.round(share * 100)}%`;
  };
  tick();
  ticking = setInterval(tick, 500);
}

// ---- results
function offerResult(ready) {
  for (const button of document.querySelectorAll(".download, #copy")) button.disabled = !ready;
}

function showResult(transcript, name) {
  page.transcript = transcript;
  page.name = name;
  page.speakers.reset(transcript);
  showLegend($("speaker-list"), page.speakers);
  page.view.show(transcript, page.speakers);
  showFormat();
  offerResult(true);
  const seconds = transcript.duration ? `${transcript.duration.toFixed(1)} s of audio` : "";
  const language = transcript.language && transcript.language[0].toUpperCase() + transcript.language.slice(1);
  const count = page.speakers.size;
  const speakers = count && `${count} speaker${count === 1 ? "" : "s"}`;
  $("meta").textContent = [language && `Language: ${language}`, seconds, speakers].filter(Boolean).join(" · ");
}

function showFormat() {
  const format = $("format").value;
  const text = format === "text";
  $("transcript").hidden = !text;
  $("source").hidden = text || !page.transcript;
  if (!text && page.transcript) $("source").textContent = FORMATS[format].render(page.transcript, named);
}

function download(format) {
  const { extension, type, render } = FORMATS[format];
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([render(page.transcript, named)], { type }));
  link.download = `${page.name}.${extension}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

async function copyText() {
  // With speakers, the lines the .txt download has ("Name: text"); without, the text as it came.
  const text = hasSpeakers(page.transcript)
    ? FORMATS.text.render(page.transcript, named).trimEnd()
    : page.transcript.text;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard API outside secure contexts (plain http on another host): select and copy.
    const area = Object.assign(document.createElement("textarea"), { value: text });
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  $("copy").textContent = "Copied";
  setTimeout(() => { $("copy").textContent = "Copy text"; }, 1500);
}

function resetResult(audio) {
  showError("");
  page.transcript = null;
  page.view.clear();
  $("speaker-list").hidden = true;
  $("result").hidden = false;
  $("source").hidden = true;
  $("transcript").hidden = false;
  $("meta").textContent = "";
  offerResult(false);
  const player = $("player");
  if (player.src) URL.revokeObjectURL(player.src);
  player.hidden = !audio;
  if (audio) player.src = URL.createObjectURL(audio);
  else player.removeAttribute("src");
}

// ---- a file
async function run(file) {
  if (page.busy) return;
  resetResult(file);
  setBusy(true);
  const name = (file.name || "recording").replace(/\.[^.]*$/, "") || "transcript";
  try {
    if ($("task").value === "translate") {
      progress("Translating…");
      showResult(await translate({ file, ...choices() }), name);
    } else if ($("speakers").checked) {
      progress("Finding who spoke…");
      showResult(await diarize({ file, ...choices() }), name);
    } else {
      progress("Transcribing…");
      const done = await transcribe({ file, ...choices() }, (text) => page.view.append(text));
      showResult({ ...done, type: undefined, usage: undefined }, name);
    }
    showBalance($("balance"), choices().key);
  } catch (error) {
    failed(error);
  } finally {
    progress("");
    setBusy(false);
  }
}

// ---- the microphone
async function toggleRecording() {
  if (page.microphone) return stopRecording();
  resetResult(null);
  const lines = new Map();
  page.microphone = new Microphone({
    turn(id, text, final) {
      if (!lines.has(id)) lines.set(id, $("transcript").appendChild(document.createElement("p")));
      lines.get(id).textContent = text;
      lines.get(id).className = final ? "" : "partial";
    },
    status(words) { $("live-status").hidden = false; $("live-status").textContent = words; },
    problem: showError,
  });
  try {
    await page.microphone.start(choices());
  } catch (error) {
    page.microphone = null;
    showError(`The microphone could not be used: ${error.message}. Allow the browser to use it and try again.`);
    return;
  }
  $("record").classList.add("on");
  $("record").textContent = "■ Stop recording";
  setBusy(true);
}

async function stopRecording() {
  const microphone = page.microphone;
  $("record").disabled = true;
  $("live-status").textContent = "Finishing…";
  const { blob, seconds } = await microphone.stop();
  page.microphone = null;
  $("record").classList.remove("on");
  $("record").textContent = "● Record from the microphone";
  $("live-status").hidden = true;
  setBusy(false);
  const file = new File([blob], "recording.webm", { type: blob.type });
  if (!microphone.live && !microphone.turns.size) return run(file);
  const player = $("player");
  player.src = URL.createObjectURL(blob);
  player.hidden = false;
  showResult(microphone.transcript(seconds), "recording");
}

// ---- start-up
async function loadChoices() {
  try {
    const languages = await listLanguages();
    for (const [code, name] of Object.entries(languages)) $("language").append(new Option(name, code));
  } catch (error) {
    failed(error);
  }
  await loadModels();
}

async function loadModels() {
  try {
    const models = await listModels($("key").value.trim());
    const select = $("model");
    const chosen = select.value;
    select.replaceChildren(...models.map((id) => new Option(id, id)));
    select.value = models.includes(chosen) ? chosen : models.includes("whisper-1") ? "whisper-1" : models[0];
    showError("");
  } catch (error) {
    failed(error);
  }
  showBalance($("balance"), $("key").value.trim());
}

function wire() {
  $("key").value = localStorage.getItem(KEY_STORE) || "";
  $("key").addEventListener("change", () => {
    localStorage.setItem(KEY_STORE, $("key").value.trim());
    loadModels();
  });
  $("file").addEventListener("change", () => $("file").files[0] && run($("file").files[0]));
  const drop = $("drop");
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    if (event.dataTransfer.files[0]) run(event.dataTransfer.files[0]);
  });
  $("record").addEventListener("click", toggleRecording);
  $("format").addEventListener("change", showFormat);
  // Speakers are a transcription's: the server's translations carry none, so the box is off meanwhile.
  const speakersApply = () => { $("speakers").disabled = $("task").value === "translate"; };
  $("task").addEventListener("change", speakersApply);
  speakersApply();
  $("copy").addEventListener("click", copyText);
  for (const button of document.querySelectorAll(".download")) {
    button.addEventListener("click", () => download(button.dataset.format));
  }
}

wire();
loadChoices();

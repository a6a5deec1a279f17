// A transcript ({text, segments, words, ...}) as each downloadable format. Where its segments carry
// speakers, each format says who speaks as the server's own do ("[A] " in srt, "<v A>" in vtt), with the
// names `name(label)` gives: those the person chose in the page.

import { hasSpeakers, turns } from "./speakers.js";

const asLabelled = (label) => label;

function pad(value, width = 2) {
  return String(value).padStart(width, "0");
}

export function timestamp(seconds, separator) {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const secs = Math.floor(ms / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}${separator}${pad(ms % 1000, 3)}`;
}

function cues(transcript) {
  return (transcript.segments || []).filter((segment) => segment.text.trim());
}

function oneLine(text) {
  return text.split(/\s+/).filter(Boolean).join(" ");
}

// A voice annotation ends at ">"; "&" and "<" would start an escape or a tag.
function voice(name) {
  return name.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function text(transcript, name = asLabelled) {
  if (!hasSpeakers(transcript)) return `${transcript.text}\n`;
  return turns(transcript.segments).map((turn) => `${name(turn.speaker)}: ${turn.text}\n`).join("");
}

function srt(transcript, name = asLabelled) {
  const said = hasSpeakers(transcript)
    ? (cue) => `[${name(cue.speaker)}] ${oneLine(cue.text)}`
    : (cue) => cue.text.trim();
  return cues(transcript)
    .map((cue, index) =>
      `${index + 1}\n${timestamp(cue.start, ",")} --> ${timestamp(cue.end, ",")}\n${said(cue)}\n`)
    .join("\n");
}

function vtt(transcript, name = asLabelled) {
  // Cue text may not hold "-->": the server writes it escaped as well.
  const said = hasSpeakers(transcript)
    ? (cue) => `<v ${voice(name(cue.speaker))}>${oneLine(cue.text).replaceAll("-->", "--&gt;")}`
    : (cue) => cue.text.trim();
  const body = cues(transcript)
    .map((cue) => `${timestamp(cue.start, ".")} --> ${timestamp(cue.end, ".")}\n${said(cue)}\n`)
    .join("\n");
  return `WEBVTT\n\n${body}`;
}

function json(transcript, name = asLabelled) {
  const named = hasSpeakers(transcript)
    ? { ...transcript, segments: transcript.segments.map((s) => ({ ...s, speaker: name(s.speaker) })) }
    : transcript;
  return `${JSON.stringify(named, null, 2)}\n`;
}

// Each `render(transcript, name)`; `name` matters only to a transcript with speakers.
export const FORMATS = {
  text: { extension: "txt", type: "text/plain", render: text },
  srt: { extension: "srt", type: "application/x-subrip", render: srt },
  vtt: { extension: "vtt", type: "text/vtt", render: vtt },
  json: { extension: "json", type: "application/json", render: json },
};

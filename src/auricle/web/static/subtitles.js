// A transcript ({text, segments, words, ...}) as each downloadable format.

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

function srt(transcript) {
  return cues(transcript)
    .map((cue, index) =>
      `${index + 1}\n${timestamp(cue.start, ",")} --> ${timestamp(cue.end, ",")}\n${cue.text.trim()}\n`)
    .join("\n");
}

function vtt(transcript) {
  const body = cues(transcript)
    .map((cue) => `${timestamp(cue.start, ".")} --> ${timestamp(cue.end, ".")}\n${cue.text.trim()}\n`)
    .join("\n");
  return `WEBVTT\n\n${body}`;
}

export const FORMATS = {
  text: { extension: "txt", type: "text/plain", render: (t) => `${t.text}\n` },
  srt: { extension: "srt", type: "application/x-subrip", render: srt },
  vtt: { extension: "vtt", type: "text/vtt", render: vtt },
  json: { extension: "json", type: "application/json", render: (t) => `${JSON.stringify(t, null, 2)}\n` },
};

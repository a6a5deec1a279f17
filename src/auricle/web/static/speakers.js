// Who spoke when, as the page shows it. Each speaker the server labelled ("A", "B", ... or a known
// speaker's name) has a colour and a name the person can change in the legend; every change is told to
// `onChange`, which redraws what shows names. Downloads ask for names when they are made.

// Readable as text on the page's cards and background (contrast 4.9:1 or more on #fff and #f3f5f9),
// neighbours far apart in hue. Speakers past the eighth share colours; their names still tell them apart.
export const PALETTE = ["#1f5fbf", "#b33c00", "#1b7a3a", "#8a3ab8", "#c0266d", "#0f7478", "#9c5a00", "#6b6b00"];

// A transcript with speakers: diarized_json's segments each carry one.
export function hasSpeakers(transcript) {
  const segments = transcript?.segments || [];
  return segments.length > 0 && segments.every((segment) => segment.speaker !== undefined);
}

// Runs of consecutive segments by one speaker, empty ones left out: {speaker, segments, text}.
export function turns(segments) {
  const found = [];
  for (const segment of segments) {
    if (!segment.text.trim()) continue;
    const last = found[found.length - 1];
    if (last && last.speaker === segment.speaker) last.segments.push(segment);
    else found.push({ speaker: segment.speaker, segments: [segment] });
  }
  return found.map((turn) => ({ ...turn, text: turn.segments.map((s) => s.text.trim()).join(" ") }));
}

// The server's one-letter labels read as "Speaker A"; a known speaker's name is already a name.
function firstName(label) {
  return /^[A-Z]$/.test(label) ? `Speaker ${label}` : label;
}

export class Speakers {
  constructor(onChange = () => {}) {
    this.onChange = onChange;
    this.names = new Map();
    this.colours = new Map();
  }

  // The speakers of a new transcript, coloured in the order they first speak; names start afresh.
  reset(transcript) {
    this.names.clear();
    this.colours.clear();
    if (!hasSpeakers(transcript)) return;
    for (const { speaker } of transcript.segments) {
      if (this.names.has(speaker)) continue;
      this.colours.set(speaker, PALETTE[this.names.size % PALETTE.length]);
      this.names.set(speaker, firstName(speaker));
    }
  }

  get labels() {
    return [...this.names.keys()];
  }

  get size() {
    return this.names.size;
  }

  name(label) {
    return this.names.get(label) || firstName(label);
  }

  colour(label) {
    return this.colours.get(label) || PALETTE[0];
  }

  // A name left blank is the first name again: a speaker is never nameless in a download.
  rename(label, name) {
    this.names.set(label, name.trim() || firstName(label));
    this.onChange(label);
  }
}

function entry(speakers, label) {
  const box = document.createElement("label");
  box.className = "speaker-entry";
  const swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.style.background = speakers.colour(label);
  const input = document.createElement("input");
  input.type = "text";
  input.maxLength = 60;
  input.value = speakers.name(label);
  input.dataset.speaker = label;
  input.setAttribute("aria-label", `Name of speaker ${label}`);
  input.addEventListener("input", () => speakers.rename(label, input.value));
  input.addEventListener("change", () => { input.value = speakers.name(label); });
  box.append(swatch, input);
  return box;
}

// The legend: each speaker's swatch and name, the name editable in place. Hidden without speakers.
export function showLegend(box, speakers) {
  const caption = document.createElement("span");
  caption.className = "hint";
  caption.textContent = "Speakers (type to rename):";
  box.replaceChildren(caption, ...speakers.labels.map((label) => entry(speakers, label)));
  box.hidden = !speakers.size;
}

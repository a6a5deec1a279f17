// The transcript as words the listener can follow: the word being played is highlighted, and a click
// on a word plays from there. Where no word timings exist (a translation, a live recording), its
// segments stand in for words. A transcript with speakers is shown as turns, each under its speaker.

import { hasSpeakers, turns } from "./speakers.js";

export class WordView {
  constructor(container, player) {
    this.container = container;
    this.player = player;
    this.units = [];
    this.spans = [];
    this.current = -1;
    container.addEventListener("click", (event) => this.seek(event));
    player.addEventListener("play", () => this.follow());
    player.addEventListener("seeked", () => this.mark());
    player.addEventListener("timeupdate", () => this.mark());
  }

  clear() {
    this.container.replaceChildren();
    this.units = [];
    this.spans = [];
    this.current = -1;
  }

  // Text arriving before its timings: shown as it comes.
  append(text) {
    this.container.append(document.createTextNode(text));
  }

  show(transcript, speakers = null) {
    if (speakers && hasSpeakers(transcript)) return this.showTurns(transcript, speakers);
    this.clear();
    const words = transcript.words || [];
    this.units = words.length
      ? words
      : (transcript.segments || []).map((s) => ({ word: s.text.trim(), start: s.start, end: s.end }));
    if (!this.units.length) {
      this.container.textContent = transcript.text;
      return;
    }
    this.units.forEach((unit, index) => {
      if (index) this.container.append(" ");
      this.container.append(this.span(unit));
    });
  }

  // One paragraph per turn, the speaker's name first in its colour. diarized_json has no word
  // timings: its segments are what the player follows.
  showTurns(transcript, speakers) {
    this.clear();
    for (const turn of turns(transcript.segments)) {
      const paragraph = document.createElement("p");
      paragraph.className = "turn";
      paragraph.dataset.speaker = turn.speaker;
      paragraph.style.setProperty("--speaker", speakers.colour(turn.speaker));
      const label = document.createElement("span");
      label.className = "speaker";
      label.dataset.speaker = turn.speaker;
      label.textContent = speakers.name(turn.speaker);
      paragraph.append(label);
      turn.segments.forEach((segment, index) => {
        if (index) paragraph.append(" ");
        const unit = { word: segment.text.trim(), start: segment.start, end: segment.end };
        this.units.push(unit);
        paragraph.append(this.span(unit));
      });
      this.container.append(paragraph);
    }
  }

  // A speaker renamed: its turns' labels say the new name.
  relabel(speakers) {
    for (const label of this.container.querySelectorAll(".speaker")) {
      label.textContent = speakers.name(label.dataset.speaker);
    }
  }

  span(unit) {
    const span = document.createElement("span");
    span.className = "word";
    span.textContent = unit.word;
    span.dataset.start = unit.start;
    span.title = `${unit.start.toFixed(2)} s`;
    this.spans.push(span);
    return span;
  }

  seek(event) {
    const span = event.target.closest(".word");
    if (!span || !this.player.src) return;
    this.player.currentTime = Number(span.dataset.start);
    this.player.play().catch(() => {});
  }

  follow() {
    this.mark();
    if (!this.player.paused) requestAnimationFrame(() => this.follow());
  }

  // The word being said: the last one started, until the next one starts.
  mark() {
    const now = this.player.currentTime;
    let low = 0;
    let high = this.units.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.units[middle].start <= now) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found >= 0 && now > this.units[found].end + 1.0) found = -1;
    if (found === this.current) return;
    this.spans[this.current]?.classList.remove("now");
    this.spans[found]?.classList.add("now");
    this.current = found;
  }
}

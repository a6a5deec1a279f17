"""A turn's text as append-only deltas, from drafts that may still change and a final that will not.

A live partial is the turn so far decoded again every half second (`session.py`), and each new draft
may rewrite the last words of the one before: the speaker is mid-word, or more context changes a
guess. A delta can never be taken back, so only words two drafts in a row agree on are said
(LocalAgreement-2, as in whisper_streaming): a word is said once a later draft, with more audio
behind it, still reads the same. When the final transcript comes, whatever of it follows what was
said is said too. A final that reads differently from what the drafts agreed on says nothing more:
its `completed` event carries the transcript, which is what a client keeps.
"""

from __future__ import annotations


class Agreement:
    def __init__(self) -> None:
        self.said = ""
        self._last_draft: list[str] = []

    def draft(self, text: str) -> str:
        """The delta a new draft allows: the words it shares with the draft before it, less those said."""
        words = text.split()
        agreed = []
        for earlier, later in zip(self._last_draft, words, strict=False):
            if earlier != later:
                break
            agreed.append(later)
        self._last_draft = words
        return self._say(" ".join(agreed))

    def final(self, text: str) -> str:
        """The delta of the final text: what follows what was said, or nothing if it reads otherwise."""
        return self._say(text.strip())

    def _say(self, text: str) -> str:
        if len(text) <= len(self.said) or not text.startswith(self.said):
            return ""
        piece, self.said = text[len(self.said) :], text
        return piece

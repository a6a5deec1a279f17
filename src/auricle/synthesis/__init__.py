"""Text to speech for `POST /v1/audio/speech`: voices, their engines, and the text they are given."""

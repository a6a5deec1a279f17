"""OpenAI's Realtime API in transcription mode: `/v1/realtime?intent=transcription` over WebSocket."""

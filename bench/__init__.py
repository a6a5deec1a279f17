"""A one-command benchmark of Auricle against bare faster-whisper on the same model; see README.md."""

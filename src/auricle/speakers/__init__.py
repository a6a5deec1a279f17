"""Who spoke when: speaker turns for a recording, with no torch and no download (see bench/diarization)."""

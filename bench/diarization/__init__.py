"""`python -m bench.diarization`: the speaker stage on conversations assembled from real voices."""

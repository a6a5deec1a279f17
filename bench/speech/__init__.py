"""`python -m bench.speech`: POST /v1/audio/speech over HTTP beside the bare voice engines (see __main__)."""

"""`python -m bench.accuracy`: Auricle's accuracy against bare faster-whisper on the speech corpus.

The corpus (../shared/corpus/README.md) is built outside the repository, in a cache folder; this package
reads its manifests, joins some of its recordings into long continuous speech, runs both sides over every
item, scores them (WER, loops, invented words on non-speech, timestamp sanity, speed) and writes a report.
"""

"""Turning uploaded bytes of any container into 16 kHz mono samples, or a clear error."""

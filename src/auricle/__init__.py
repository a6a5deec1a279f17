"""Auricle: a self-hosted speech-to-text service that speaks OpenAI's audio API."""

__version__ = "0.1.0"

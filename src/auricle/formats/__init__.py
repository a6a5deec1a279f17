"""Pure functions from a `Transcript` to each of OpenAI's response formats."""

"""The HTTP layer: routes, the multipart form, errors in OpenAI's envelope, auth and limits."""

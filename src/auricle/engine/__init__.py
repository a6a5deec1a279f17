"""Model loading and inference, behind the small `SpeechModel` protocol."""

"""The web page at `/`: plain HTML, CSS and JavaScript modules shipped in the package (no build step, no
CDN, works offline), that call the same `/v1` API any client does."""

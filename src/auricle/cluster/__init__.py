"""Auricle on a Ray Serve cluster: `auricle serve --ray ADDRESS`, or `serve run deploy/serve.yaml`.

Ray is imported only inside this package, and the package only when cluster mode is asked for, so the
plain install (`pip install auricle`, no `[ray]` extra) never needs Ray.
"""

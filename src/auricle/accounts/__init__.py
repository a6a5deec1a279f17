"""Accounts, API keys, limits and usage, counted in one database (SQLite by default, or PostgreSQL).

Free of HTTP: the API layer calls `Meter.admit`, `reserve` and `settle`; the CLI manages keys and
accounts on the same database. The database is the only counter: nothing here caches a key, a limit or
a balance, so every replica sees a revocation or a top-up on its next request.
"""

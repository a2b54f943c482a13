"""Batch audits: many documents, worker processes, an SQLite record, history and dashboards.

discover -> plan (hash, resume, cache) -> executor (local worker processes or Dask) -> store
-> outputs (CSV, JSON Lines, HTML dashboard) and history. `command.py` is the click layer.
"""

"""The web page for purchasing officers (`duediligence serve`): upload, report, Word copies, history.

app.py (routes) · gate.py (who is asking) · uploads.py (request stream to files) · queue.py
(worker processes) · checking.py (what a worker does) · store.py (records in the audit
database) · accounts.py (passwords, login limit) · settings.py · words.py · command.py (CLI).
"""

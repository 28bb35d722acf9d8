"""Retention: how long the portal keeps applications, and the daily job that deletes
what expired.

A service's definition says it (``retention: {drafts_days, closed_days}``,
``rules``); ``candidates`` finds what expired, ``holds`` what must stay anyway (open
payments or refunds, a hand-off still on its way), ``deletion`` deletes one
application with its rows and files and writes its audit record, ``runs`` walks every
service in batches (the daily job, ``flask retention run``) or only reports what a run
would delete (the console's dry run). See ``docs/retention.md``.
"""

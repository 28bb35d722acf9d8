"""Telling citizens what happened: which events they must know, by which channel.

``citizen_events`` decides which events a citizen must hear about and what the
notification says (kind, reference, link); push (``app.push.handlers``) and e-mail
(``app.notifications.email``) both ask it. ``preferences`` holds each citizen's
channels; ``texts`` writes the mails; ``sending`` is the job that sends them once.
"""

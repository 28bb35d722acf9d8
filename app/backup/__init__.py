"""Backups of a portal instance: database, stored files and keys in one archive.

``flask backup create|verify|restore`` (``app.backup.cli``) over
``app.backup.service``; the archive format is ``app.backup.archive``, its encryption
``app.backup.crypto``, the database snapshots ``app.backup.database``. See
``docs/backups.md``.
"""

"""Day-care places (Kita-Platz): facilities as data, the application's facility
choices, ranked demand, offers with deadlines and their life cycle, facility staff.

See ``docs/kita.md``.
"""

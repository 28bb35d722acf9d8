"""Fixed rules of appointment booking (the Bürgerbüro's own data is in the database)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

# Opening hours are wall-clock times of the city; everything stored is UTC.
TIMEZONE = ZoneInfo("Europe/Berlin")
# Occupancy is kept in slots of this many minutes; durations are multiples of it.
SLOT_MINUTES = 5
# Offered start times lie on this grid (a list of every fifth minute helps nobody).
START_EVERY_MINUTES = 10
# How far ahead citizens can book, and how soon a slot can be booked at the earliest.
HORIZON_DAYS = 42
LEAD_MINUTES = 30
# Hoarding limits: one booking per person and counter service per calendar week, and at
# most this many bookings per e-mail address and day.
BOOKINGS_PER_ADDRESS_PER_DAY = 2
# The staff area of the Bürgerbüro (``StaffArea``): who sees day plans and marks arrivals.
STAFF_AREA = "buergerbuero"
# Services per booking (one visit, consecutive minutes at one counter).
MAX_SERVICES = 4
# Name, address and mails of a booking are erased this many days after it ended.
KEEP_PERSONAL_DATA_DAYS = 30

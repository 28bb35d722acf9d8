"""Defect reports (Mängelmelder): citizens report potholes, broken street lights or
overflowing bins with a spot on the map and photos; the category's department works
them, a moderation decides what the public sees, and Open311 GeoReport v2 apps read and
file them (``api.open311``)."""

"""Appointments at the Bürgerbüro: counter services, slots, bookings and their mails."""

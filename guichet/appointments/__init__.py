"""Appointments at a service's desk: opening slots, closures, bookings, reminders."""

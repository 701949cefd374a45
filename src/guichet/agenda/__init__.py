"""Appointments: agents' calendars, places, booking, reminders, iCalendar feeds."""

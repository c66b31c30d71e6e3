"""Openings for one service on a day that is bookable whatever the date the tests run."""
import re
from datetime import date, time, timedelta

from guichet import db
from guichet.appointments import booking
from guichet.appointments.models import Appointment, Closure, OpeningPattern
from guichet.requests.deadlines import is_working_day

SERVICE = "elections"


def bookable_day(today: date | None = None, weekday: int = 1) -> date:
    """A working day of that weekday, 2 to 3 weeks ahead: inside the horizon, never today, never a holiday."""
    day = (today or date.today()) + timedelta(days=14)
    while day.weekday() != weekday or not is_working_day(day):
        day += timedelta(days=1)
    return day


def open_service(app, desks: int = 2, service: str = SERVICE, opens: time = time(9), closes: time = time(10),
                 minutes: int = 20) -> None:
    """Every weekday from Monday to Saturday, 9 h to 10 h by default: three slots a day."""
    with app.app_context():
        session = db.session()
        for weekday in range(6):
            session.add(OpeningPattern(service=service, weekday=weekday, opens=opens, closes=closes,
                                       slot_minutes=minutes, desks=desks))
        booking.openings_changed(session)
        session.commit()


def close_service(app, service: str = SERVICE) -> None:
    with app.app_context():
        session = db.session()
        for model in (Appointment, Closure, OpeningPattern):
            session.query(model).filter(model.service == service).delete()
        booking.openings_changed(session)
        session.commit()


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def offered_times(html: str) -> list[str]:
    return re.findall(r'name="heure" value="([^"]+)"', html)

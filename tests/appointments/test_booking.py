"""Booking, moving, cancelling and reminding, against the database."""
from datetime import datetime, time, timedelta

import pytest

from guichet import db
from guichet.appointments import booking, mails
from guichet.appointments.models import Appointment, Closure
from guichet.mail.models import OutboxMessage
from tests.appointments.helpers import SERVICE, bookable_day

PERSON = booking.Person(name="Léa Martin", phone="06 12 34 56 78", email="lea@exemple.fr", subject="Passeport")


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute))


def test_each_booking_takes_the_lowest_free_desk_then_the_slot_is_full(app, opened):
    day = bookable_day()
    now = at(day, 8) - timedelta(days=1)
    with app.app_context():
        session = db.session()
        first, token = booking.book(session, SERVICE, at(day, 9), PERSON, now)
        second, _token = booking.book(session, SERVICE, at(day, 9), PERSON, now)
        session.commit()
        assert (first.desk, second.desk) == (1, 2)
        assert len(token) >= 32 and first.token_hash != token
        with pytest.raises(booking.SlotTaken) as taken:
            booking.book(session, SERVICE, at(day, 9), PERSON, now)
        assert [slot.start for slot in taken.value.alternatives] == [at(day, 9, 20), at(day, 9, 40)]
        session.rollback()
        assert [slot.start for slot in booking.free_times(session, SERVICE, day, now)] == [at(day, 9, 20),
                                                                                           at(day, 9, 40)]


@pytest.mark.parametrize("offset, hour, minute", [
    (0, 9, 10),      # not a slot start
    (0, 10, 0),      # after closing
    (-30, 9, 0),     # in the past
    (60, 9, 0),      # beyond the horizon
])
def test_a_time_that_is_not_a_free_slot_is_refused(app, opened, offset, hour, minute):
    day = bookable_day()
    with app.app_context():
        with pytest.raises(booking.SlotUnavailable):
            booking.book(db.session(), SERVICE, at(day + timedelta(days=offset), hour, minute), PERSON,
                         at(day, 8) - timedelta(days=1))


def test_closures_remove_the_day_from_the_offer(app, opened):
    day = bookable_day()
    now = at(day, 8) - timedelta(days=3)
    with app.app_context():
        session = db.session()
        assert day in [found for found, _count in booking.free_days(session, SERVICE, now)]
        session.add(Closure(service=SERVICE, day=day, reason="Formation"))
        session.commit()
        assert day not in [found for found, _count in booking.free_days(session, SERVICE, now)]
        with pytest.raises(booking.SlotUnavailable):
            booking.book(session, SERVICE, at(day, 9), PERSON, now)


def test_moving_frees_the_old_slot_and_cancelling_frees_the_new_one(app, opened):
    day = bookable_day()
    now = at(day, 8) - timedelta(days=1)
    with app.app_context():
        session = db.session()
        appointment, token = booking.book(session, SERVICE, at(day, 9), PERSON, now)
        session.commit()
        booking.move(session, appointment, at(day, 9, 40), now)
        session.commit()
        assert booking.by_token(session, token).start == at(day, 9, 40)
        booking.cancel(session, appointment)
        session.commit()
        assert booking.by_token(session, token) is None
        assert len(booking.free_times(session, SERVICE, day, now)) == 3


def test_a_cancelled_appointment_stays_but_frees_its_desk_for_a_new_booking_and_gets_no_reminder(app, opened):
    day = bookable_day()
    now = at(day, 8) - timedelta(days=1)
    with app.app_context():
        session = db.session()
        first, token = booking.book(session, SERVICE, at(day, 9), PERSON, now)
        booking.book(session, SERVICE, at(day, 9), PERSON, now)
        session.commit()
        assert at(day, 9) not in [slot.start for slot in booking.free_times(session, SERVICE, day, now)]
        booking.cancel(session, first)
        session.commit()
        assert first.cancelled and first.cancelled_at is not None
        assert booking.by_token(session, token) is None  # the person's link no longer opens it
        assert at(day, 9) in [slot.start for slot in booking.free_times(session, SERVICE, day, now)]
        again, _token = booking.book(session, SERVICE, at(day, 9), PERSON, now)
        session.commit()
        assert again.desk == first.desk == 1  # the unique index leaves the cancelled row out
        rows = booking.agenda(session, SERVICE, day)
        assert len(rows) == 3 and [row.id for row in booking.kept(rows)] == [row.id for row in rows if row is not first]
        assert first not in booking.due_reminders(session, at(day, 10) - timedelta(days=1))
        with pytest.raises(booking.SlotTaken):
            booking.book(session, SERVICE, at(day, 9), PERSON, now)
        session.rollback()


def test_the_reminder_goes_the_day_before_once_and_only_with_an_email(app, opened):
    day = bookable_day()
    with app.app_context():
        session = db.session()
        booking.book(session, SERVICE, at(day, 9), PERSON, at(day, 8) - timedelta(days=5))
        booking.book(session, SERVICE, at(day, 9, 20), booking.Person("Sans Courriel", "0612345678", None),
                     at(day, 8) - timedelta(days=5))
        session.commit()
        assert booking.due_reminders(session, at(day, 10) - timedelta(days=2)) == []
        due = booking.due_reminders(session, at(day, 10) - timedelta(days=1))
        assert [row.name for row in due] == ["Léa Martin"]
        mails.queue_reminder(session, due[0], datetime.now())
        session.commit()
        assert booking.due_reminders(session, at(day, 10) - timedelta(days=1)) == []


def test_the_confirmation_carries_an_ics_with_the_town_time_and_the_link(app, opened):
    from icalendar import Calendar
    day = bookable_day()
    with app.app_context(), app.test_request_context():
        session = db.session()
        appointment, token = booking.book(session, SERVICE, at(day, 9, 20), PERSON, at(day, 8) - timedelta(days=1))
        session.flush()
        mails.queue_confirmation(session, appointment, token)
        session.commit()
        message = session.query(OutboxMessage).order_by(OutboxMessage.id.desc()).first()
        assert message.recipient == "lea@exemple.fr" and token in message.body
        (attachment,) = message.attachments
        assert attachment["filename"].endswith(".ics") and attachment["mime"] == "text/calendar"
        event = Calendar.from_ical(attachment["text"]).walk("VEVENT")[0]
        assert event.decoded("dtstart").replace(tzinfo=None) == at(day, 9, 20)
        assert str(event.decoded("dtstart").tzinfo) == "Europe/Paris"
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=20)
        assert token in str(event.get("description"))
        session.query(Appointment).filter(Appointment.id == appointment.id).delete()
        session.commit()


def test_the_worker_job_sends_tomorrows_reminders_once(app, opened):
    from zoneinfo import ZoneInfo

    from guichet.worker.jobs import JOBS
    job = next(job for job in JOBS if job.name == "rappels-rendez-vous")
    day = bookable_day()
    with app.app_context():
        session = db.session()
        booking.book(session, SERVICE, at(day, 9), PERSON, at(day, 8) - timedelta(days=5))
        session.commit()
        evening_before = (at(day, 18) - timedelta(days=1)).replace(tzinfo=ZoneInfo("Europe/Paris"))
        assert job.run(session, evening_before) == "1 appointment reminders"
        assert job.run(session, evening_before) == "0 appointment reminders"
        reminder = session.query(OutboxMessage).order_by(OutboxMessage.id.desc()).first()
        assert reminder.subject == "Rappel : votre rendez-vous demain" and "9 h 00" in reminder.body


def test_demo_openings_are_added_once(app):
    from tests.appointments.helpers import close_service
    close_service(app, "cimetieres")
    with app.app_context():
        session = db.session()
        assert booking.ensure_demo_openings(session, "cimetieres") is True
        session.commit()
        assert booking.ensure_demo_openings(session, "cimetieres") is False
        assert len(booking.openings(session, "cimetieres")) == 5
    close_service(app, "cimetieres")


def test_appointments_are_erased_three_months_after_their_day(app, opened):
    day = bookable_day()
    with app.app_context():
        session = db.session()
        booking.book(session, SERVICE, at(day, 9), PERSON, at(day, 8) - timedelta(days=1))
        session.commit()
        assert booking.purge_past(session, at(day, 12) + timedelta(days=booking.KEPT_AFTER_DAYS - 1)) == 0
        assert booking.purge_past(session, at(day, 12) + timedelta(days=booking.KEPT_AFTER_DAYS + 1)) == 1
        session.commit()


def test_a_cancelled_appointment_is_erased_with_the_others_after_its_day(app, opened):
    day = bookable_day()
    with app.app_context():
        session = db.session()
        appointment, _token = booking.book(session, SERVICE, at(day, 9), PERSON, at(day, 8) - timedelta(days=1))
        booking.cancel(session, appointment)
        session.commit()
        assert booking.purge_past(session, at(day, 12) + timedelta(days=booking.KEPT_AFTER_DAYS - 1)) == 0
        assert booking.purge_past(session, at(day, 12) + timedelta(days=booking.KEPT_AFTER_DAYS + 1)) == 1
        session.commit()

"""Step views wait in the process and go with the next event's transaction, when due, or at exit."""
import threading
from datetime import timedelta

from sqlalchemy import select

from a11y.walker import start, token_of
from guichet import db
from guichet.demarches.catalogue import catalogue
from guichet.feedback import funnel
from guichet.feedback.models import FunnelEvent


def journey_events(app, journey: str) -> list[FunnelEvent]:
    with app.app_context():
        return db.session().scalars(select(FunnelEvent).where(FunnelEvent.journey == journey)
                                    .order_by(FunnelEvent.at)).all()


def started(app, client) -> tuple[str, str]:
    """A step's address, and the journey token of the client's new draft."""
    with app.app_context():
        location = start(client, catalogue().get("changement-adresse")).headers["Location"]
        draft_id = client.get_cookie("brouillon-changement-adresse").value
        return location, funnel.journey(draft_id)


def test_a_view_waits_and_goes_with_the_next_event_in_time_order(app):
    client = app.test_client()
    waiting = app.extensions["guichet_waiting_views"]
    waiting.take()
    location, journey = started(app, client)
    token = token_of(client.get(location).get_data(as_text=True))
    assert journey_events(app, journey) == [], "the views wait"
    views = len(waiting.rows)
    assert views >= 1 and {row["journey"] for row in waiting.rows} == {journey}
    assert client.post(location, data={"csrf_token": token}).status_code == 400
    events = journey_events(app, journey)
    assert [event.event for event in events] == ["viewed"] * views + ["error"]
    assert waiting.rows == []


def test_views_found_due_are_written_by_a_view(app, monkeypatch):
    client = app.test_client()
    waiting = app.extensions["guichet_waiting_views"]
    waiting.take()
    location, journey = started(app, client)
    client.get(location)
    views = len(waiting.rows)
    assert journey_events(app, journey) == []
    monkeypatch.setattr(waiting, "oldest", waiting.oldest - waiting.wait_seconds - 1)
    client.get(location)
    assert [event.event for event in journey_events(app, journey)] == ["viewed"] * (views + 1)
    assert waiting.rows == []


def test_views_still_waiting_are_written_when_the_process_stops(app):
    waiting = funnel.WaitingViews(wait_seconds=3600)
    moment = db.utcnow() - timedelta(seconds=5)
    waiting.add({"demarche": "changement-adresse", "step": "nom", "event": "viewed", "fields": None,
                 "journey": "sortie-du-processus", "messages": None, "at": moment})
    funnel._write_at_exit(app, waiting)
    assert [(event.step, event.event) for event in journey_events(app, "sortie-du-processus")] == [("nom", "viewed")]
    assert waiting.rows == []


def test_threads_adding_views_lose_none():
    waiting = funnel.WaitingViews(wait_seconds=3600)
    taken = []

    def view_many(thread: int) -> None:
        for index in range(500):
            waiting.add({"journey": f"{thread}-{index}"})
            if index % 50 == 0:
                taken.extend(waiting.take())

    threads = [threading.Thread(target=view_many, args=(thread,)) for thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken.extend(waiting.take())
    assert sorted(row["journey"] for row in taken) == sorted(f"{t}-{i}" for t in range(8) for i in range(500))

"""`flask demo seed` (idempotent demo staff and requests) and a small run of the queue benchmark."""
from sqlalchemy import func, select

from a11y import bench_queue
from guichet import db
from guichet.requests.models import DemarcheRequest
from guichet.requests.submission import CHANNELS
from guichet.requests.workflow import STATUSES
from tests.conftest import build_app


def test_demo_seed_is_idempotent_and_covers_demarches_statuses_and_channels(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'demo.sqlite3'}", GUICHET_ENV="development")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "50 created" in first.output and "agent@demo.admiville.test" in first.output
    assert "demo-admiville-2026" in first.output
    second = runner.invoke(args=["demo", "seed"])
    assert "0 created" in second.output
    with app.app_context():
        session = db.session()
        assert session.scalar(select(func.count()).select_from(DemarcheRequest)) == 50
        requests = list(session.scalars(select(DemarcheRequest)))
    assert {request.channel for request in requests} == set(CHANNELS)
    assert {request.status for request in requests} == set(STATUSES)  # every status of the workflow
    assert len({request.demarche for request in requests}) >= 5
    assert all(request.email.endswith("@exemple.fr") for request in requests)
    assert any(request.owner_id for request in requests) and any(request.owner_id is None for request in requests)


def test_demo_seed_refuses_outside_development(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'prod.sqlite3'}", GUICHET_ENV="production")
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code != 0 and "only in development" in result.output


def test_the_queue_benchmark_runs_on_a_small_town(tmp_path, capsys):
    app = build_app(f"sqlite:///{tmp_path / 'bench.sqlite3'}")
    results = bench_queue.run(app, "SQLite", 300, 1)
    assert len(results) == 2 * (len(bench_queue.SCENARIOS) + 2)
    assert {status for *_rest, status in results} == {200}
    assert "file par défaut" in capsys.readouterr().out

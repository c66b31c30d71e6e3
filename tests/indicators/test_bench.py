"""The indicators benchmark runs end to end on a small town (its figures at full size are in the report)."""
from a11y import bench_indicators
from tests.conftest import build_app


def test_the_indicators_benchmark_runs_on_a_small_town(tmp_path, capsys):
    app = build_app(f"sqlite:///{tmp_path / 'bench.sqlite3'}")
    results = bench_indicators.run(app, "SQLite", 3000, 300, 1)
    assert len(results) == len(bench_indicators.SCENARIOS) + 1
    assert {status for *_rest, status in results} == {200}
    out = capsys.readouterr().out
    assert "worker, first roll-up" in out and "step rows" in out

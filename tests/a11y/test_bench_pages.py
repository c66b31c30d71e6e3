"""The pages benchmark runs end to end on a handful of requests, so it cannot rot."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_pages_runs_with_a_handful_of_requests():
    result = subprocess.run([sys.executable, "-m", "a11y.bench_pages", "--requests", "6", "--concurrency", "2"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bare Flask hello" in result.stdout and "/fiches/" in result.stdout
    assert "step GET+POST cycle" in result.stdout and "p95" in result.stdout
    assert "FAILED" not in result.stdout

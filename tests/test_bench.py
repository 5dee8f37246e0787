"""A smoke run of the benchmark suite on tiny sizes: it runs, and its table is complete."""

import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow  # 40 s: every benchmark end to end on tiny sizes
@pytest.mark.skipif(not (REPO.parent / "shared" / "data").is_dir(),
                    reason="../shared/data not beside the repository")
def test_benchmark_suite_smoke_run(tmp_path):
    out = tmp_path / "BENCH.md"
    r = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)], cwd=REPO,
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr[-2000:]
    text = out.read_text()
    for measure in ("prep --help", "five notes", "time to first card", "time per answer",
                    "prep stats", "grade conv", "nms 2000 boxes", "FSRS-6, fitted", "SM-2",
                    "constant"):
        assert measure in text, measure
    rows = [ln for ln in text.splitlines() if ln.startswith("| ") and "---" not in ln]
    assert len(rows) >= 20

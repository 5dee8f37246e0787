"""The softmax exercise's reference against a loop implementation and torch.

    python -m bench.refs_softmax [--quick]

softmax, log_softmax and cross_entropy (label smoothing 0.1, some targets ignored) on
(1024, 1000) float64 logits, one thread. Baselines: the loop-style solution kept as test data
(tests/data/loop_softmax.py: a loop over rows, plain Python per element), and torch.nn.functional
when torch is installed. Runs alternate between the reference and the baseline; medians.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import importlib.util  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from bench.common import alternating, machine  # noqa: E402
from prepcli.catalog import softmax as S  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def loop_solution(exercise_id: str):
    """The loop-style solution kept as test data (the same code the tests grade)."""
    path = REPO / "tests" / "data" / f"loop_{exercise_id}.py"
    spec = importlib.util.spec_from_file_location(f"loop_{exercise_id}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _torch():
    try:
        import torch

        torch.set_num_threads(1)
        return torch
    except ImportError:
        return None


def rows(quick: bool) -> list[tuple[str, float, str, float]]:
    n, c = (64, 100) if quick else (1024, 1000)
    repeat, loop_repeat = (3, 1) if quick else (7, 3)
    rng = np.random.default_rng(0)
    x = rng.normal(scale=5, size=(n, c))
    target = rng.integers(0, c, size=n)
    target[::10] = -100
    kw = dict(label_smoothing=0.1)
    loop = loop_solution("softmax")
    torch = _torch()
    calls = {
        "softmax": (lambda f: f(x, -1), "softmax"),
        "log_softmax": (lambda f: f(x, -1), "log_softmax"),
        "cross_entropy": (lambda f: f(x, target, **kw), "cross_entropy"),
    }
    out = []
    for name, (call, tname) in calls.items():
        label = f"{name} ({n}, {c}) float64"
        ref = getattr(S, name)
        np.testing.assert_allclose(call(ref), call(getattr(loop, name)), rtol=1e-9)
        t, base = alternating(lambda: call(ref), lambda: call(getattr(loop, name)), loop_repeat)
        out.append((label, t, "loop over rows, Python per element", base))
        if torch is not None:
            import torch.nn.functional as F

            tx, tt = torch.from_numpy(x), torch.from_numpy(target)
            tcall = {"softmax": lambda: F.softmax(tx, -1),
                     "log_softmax": lambda: F.log_softmax(tx, -1),
                     "cross_entropy": lambda: F.cross_entropy(tx, tt, **kw)}[tname]
            np.testing.assert_allclose(call(ref), tcall().numpy(), rtol=1e-10, atol=1e-10)
            t, base = alternating(lambda: call(ref), tcall, repeat)
            out.append((label, t, "torch.nn.functional (1 thread)", base))
    return out


def main(title: str = "softmax reference", table=rows) -> None:
    """Print `table(quick)` as aligned rows (shared by the refs_* benchmarks)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    args = ap.parse_args()
    print(f"# {title} ({machine()})")
    for label, t, base_label, base in table(args.quick):
        print(f"{label:<40} {t:>9.5f} s  {base_label:<38} {base:>9.5f} s  {base / t:>8.2f}x")


if __name__ == "__main__":
    main()

"""How much does ``import ca_summit_data`` cost over a bare interpreter? Run by hand.

    python benchmarks/bench_import.py [--runs 30]

Starts fresh interpreters, alternating the variants so that machine noise hits them
alike, and prints the median wall time of each and the differences against the bare
interpreter, with pydantic and pandas as yardsticks. The budget is 30 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from installed import compile_timed_code

VARIANTS = {
    "bare interpreter": "pass",
    "import ca_summit_data": "import ca_summit_data",
    "import pydantic": "import pydantic",
    "import pandas": "import pandas",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    compile_timed_code()
    timings: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _ in range(args.runs):
        for name, code in VARIANTS.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            timings[name].append(time.perf_counter() - start)
    bare = statistics.median(timings["bare interpreter"])
    print(f"{'variant':<24} {'median ms':>10} {'over bare ms':>13}")
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"{name:<24} {median * 1000:>10.1f} {(median - bare) * 1000:>13.1f}")
    ours = statistics.median(timings["import ca_summit_data"]) - bare
    print(
        f"\nca_summit_data costs {ours * 1000:.1f} ms over a bare interpreter (budget 30 ms): "
        f"{'within' if ours <= 0.030 else 'OVER'} budget"
    )


if __name__ == "__main__":
    main()

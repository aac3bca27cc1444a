"""`make dashboard`: check that a published warehouse can feed every dashboard page.

Usage: python -m dashboard.check [MARTS_DIR]   (default: $WAREHOUSE_DIR/parquet/marts)

Opens the Parquet copies of the marts and runs every query the pages run,
printing what each page will show; exits non-zero with the reason when the
marts are missing or a query fails, before anyone opens a browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard.data import Marts, MartsMissing, marts_dir, summary


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else marts_dir()
    try:
        m = Marts(directory)
    except MartsMissing as exc:
        print(f"dashboard: {exc}", file=sys.stderr)
        return 1
    try:
        counts = summary(m)
    finally:
        m.close()
    print(f"dashboard: marts from {directory} (published {m.published_at:%Y-%m-%d %H:%M:%S} UTC)")
    for name, n in counts.items():
        print(f"  {name:32} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A 50 MB text field on screen: kernel memory and synced state, cut into pieces vs whole.

    PYTHONPATH=src python benchmarks/long_field.py

Each mode runs in a process of its own (issue 25, attack 9): `cut` is the shipped path
(`_ui/long_fields.py`: the first 100,000 characters, "Show more" for the rest), `whole` is
its twin with the cut turned off, measured in the same run. RSS growth is VmRSS after
opening the widget minus before (the DataFrame built first); the peak is VmHWM past the
baseline (reset through /proc/self/clear_refs).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

MB = 1 << 20


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def measure(mode: str, store: str) -> dict:
    import gc

    import pandas as pd
    import pyarrow as pa

    import nbreview as nr
    from nbreview._ui import long_fields

    if mode == "whole":
        long_fields.FIRST = 1 << 62  # the twin: nothing is cut
    text = "lorem ipsum dolor sit amet " * (50 * MB // 27)
    df = pd.DataFrame({"id": ["big", "small"], "text": [text, "short"]})
    gc.collect()
    pa.default_memory_pool().release_unused()
    Path("/proc/self/clear_refs").write_text("5")
    before = _status("VmRSS")
    review = nr.Review(df, ["text"], [nr.Label("verdict", ["good", "bad"])], id="id",
                       store=store, annotator="a")  # fmt: skip
    widget = review.widget
    # What the comm sends to open the view: every synced trait, serialized as Jupyter does.
    synced = len(
        json.dumps({k: v for k, v in widget.get_state().items() if k not in ("_esm", "_css")})
    )
    gc.collect()
    return {
        "mode": mode,
        "field_mb": len(text) / MB,
        "synced_mb": synced / MB,
        "rss_growth_mb": (_status("VmRSS") - before) / MB,
        "peak_mb": (_status("VmHWM") - before) / MB,
    }


def main() -> None:
    rows = []
    for mode in ("cut", "whole"):
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                [sys.executable, __file__, mode, str(Path(tmp) / "s.sqlite")],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("| mode | field MB | synced state MB | RSS growth MB | peak over baseline MB |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['mode']} | {r['field_mb']:.1f} | {r['synced_mb']:.2f} | "
              f"{r['rss_growth_mb']:.0f} | {r['peak_mb']:.0f} |")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 3:
        print(json.dumps(measure(sys.argv[1], sys.argv[2])))
    else:
        main()

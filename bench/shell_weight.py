"""Print the app shell's weight: every file the service worker precaches, uncompressed (limit 150 KB)."""

import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pwa", "static")
# Counted in decimal kilobytes, the stricter reading of "150 KB".
LIMIT = 150_000
# Fetched on first use, then cached by the worker: the English catalogue (English users only), and the survey and
# group-health views with the chart library (loaded with import() when opened).
ON_DEMAND = ["js/i18n/en.js", "js/views/survey.js", "js/views/health.js", "css/insights.css",
             "vendor/uplot/uPlot.esm.js", "vendor/uplot/uPlot.min.css"]


def shell_files() -> list[str]:
    with open(os.path.join(ROOT, "sw.js"), encoding="utf-8") as f:
        source = f.read()
    listed = re.search(r"const SHELL = \[(.*?)\];", source, re.S).group(1)
    paths = re.findall(r"'([^']+)'", listed)
    files = ["sw.js"]
    for path in paths:
        if path == "/":
            files.append("index.html")
        else:
            files.append(path.removeprefix("/static/").lstrip("/"))
    return files


def main() -> int:
    total = 0
    rows = []
    for name in shell_files():
        size = os.path.getsize(os.path.join(ROOT, name))
        total += size
        rows.append((size, name))
    for size, name in sorted(rows, reverse=True):
        print(f"{size:>8,} B  {name}")
    print(f"shell weight: {total:,} B = {total / 1000:.1f} kB uncompressed ({len(rows)} files; limit 150 kB)")
    extra = sum(os.path.getsize(os.path.join(ROOT, name)) for name in ON_DEMAND)
    print(f"fetched on first use and then cached: {', '.join(ON_DEMAND)} ({extra:,} B)")
    return 0 if total <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())

"""Print the app shell's weight: every file the service worker precaches, uncompressed (limit 150 KB)."""

import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pwa", "static")
LIMIT = 150 * 1024


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


def lazy_files() -> list[str]:
    """Modules loaded on first use (surveys, group health, the chart library): cached then, not precached."""
    with open(os.path.join(ROOT, "sw.js"), encoding="utf-8") as f:
        listed = re.search(r"const LAZY = \[(.*?)\];", f.read(), re.S)
    return [p.removeprefix("/static/") for p in re.findall(r"'([^']+)'", listed.group(1))] if listed else []


def main() -> int:
    total = 0
    rows = []
    for name in shell_files():
        size = os.path.getsize(os.path.join(ROOT, name))
        total += size
        rows.append((size, name))
    for size, name in sorted(rows, reverse=True):
        print(f"{size:>8,} B  {name}")
    lazy = sum(os.path.getsize(os.path.join(ROOT, name)) for name in lazy_files())
    print(f"loaded on first use, not in the shell: {lazy:,} B ({len(lazy_files())} files)")
    print(f"shell weight: {total:,} B = {total / 1024:.1f} KB uncompressed ({len(rows)} files; limit 150 KB)")
    return 0 if total <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())

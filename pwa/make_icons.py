"""Draw the app icons (a white house with a lit window on the theme blue) as PNGs, stdlib only.

Run once after changing the design: ``python pwa/make_icons.py``; the PNGs are committed.
"""

import os
import struct
import zlib

BLUE = (29, 92, 150)
WHITE = (255, 255, 255)
AMBER = (246, 183, 60)
OUT = os.path.join(os.path.dirname(__file__), "static", "icons")


def _inside_house(x: float, y: float) -> int:
    """0 outside, 1 house, 2 window; coordinates in a unit square."""
    roof_top, roof_base, wall_bottom = 0.18, 0.46, 0.82
    if roof_top <= y <= roof_base:
        half = 0.36 * (y - roof_top) / (roof_base - roof_top)
        if abs(x - 0.5) <= half:
            return 1
    if roof_base <= y <= wall_bottom and 0.24 <= x <= 0.76:
        if 0.42 <= x <= 0.58 and 0.56 <= y <= 0.70:
            return 2
        return 1
    return 0


def draw(size: int, padding: float) -> bytes:
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            x = ((px + 0.5) / size - padding) / (1 - 2 * padding)
            y = ((py + 0.5) / size - padding) / (1 - 2 * padding)
            row.extend((BLUE, WHITE, AMBER)[_inside_house(x, y)])
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    # The maskable icon keeps the house inside the central 80 % safe zone.
    for name, size, padding in [("icon-192.png", 192, 0.0), ("icon-512.png", 512, 0.0),
                                ("icon-maskable-512.png", 512, 0.12)]:
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(draw(size, padding))

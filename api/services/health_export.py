"""The municipality's export of every group's health as CSV, flat, one row per group.

Spreadsheets: UTF-8 with a byte-order mark so Excel reads the accents; with ``sep=";"`` (Dutch Excel) decimals
are written with a comma, as a Dutch spreadsheet expects them.
"""

import csv
import io

COLUMNS = [
    ("group_id", lambda h: h["group_id"]),
    ("group_name", lambda h: h["group_name"]),
    ("group_status", lambda h: h["group_status"]),
    ("postcodes", lambda h: " ".join(h["postcodes"])),
    ("status", lambda h: h["status"]),
]
INDICATOR_COLUMNS = {
    "charter": ["complete", "review_at"],
    "moderator_activity": ["check_ins_per_report", "days_since_last_check_in"],
    "professional_feedback": ["reports", "target_minutes", "median_minutes", "p90_minutes", "within_target_share",
                              "overdue", "waiting_overdue"],
    "neighbour_contact": ["help_posts_per_month", "replies_per_month", "events_per_month", "share_of_activity"],
    "participation": ["members", "joins_last_30_days", "leaves_last_30_days", "active_share"],
    "feeling_of_safety": ["direction", "cohesion_mean", "unsafe_share", "cohesion_change",
                          "difference_in_differences"],
}


def header() -> list[str]:
    names = [name for name, _ in COLUMNS]
    for key, fields in INDICATOR_COLUMNS.items():
        names.append(f"{key}_status")
        names.extend(f"{key}_{field}" for field in fields)
    return names


def _cell(value, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        text = f"{value:g}" if abs(value) < 1e15 else str(value)
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def row(health: dict, decimal_comma: bool) -> list[str]:
    values = [get(health) for _, get in COLUMNS]
    by_key = {i["key"]: i for i in health["indicators"]}
    for key, fields in INDICATOR_COLUMNS.items():
        indicator = by_key[key]
        values.append(indicator["status"])
        values.extend(indicator["value"].get(field) for field in fields)
    return [_cell(v, decimal_comma) for v in values]


def to_csv(rows: list[dict], sep: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header())
    for health in rows:
        writer.writerow(row(health, decimal_comma=sep == ";"))
    return "\ufeff".encode() + out.getvalue().encode("utf-8")

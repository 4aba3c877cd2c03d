"""The professional response clock, computed from a report's stored timestamps.

Pure functions: nothing here reads the database or the wall clock, so the state shown at read time
is right whether or not the sweep has run. The clock starts when a report is filed and stops at the
first answer by a *linked professional*; a moderator's answer is shown but does not stop it. A report
that is closed or withdrawn before anyone answered stops the clock without an answer.

``feedback_overdue`` stays true once the due time passed without a professional answer, even when a
late answer comes in afterwards: the target was missed (``target_met`` is false then).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


def feedback_due_at(filed_at: datetime, target_minutes: int) -> datetime:
    return filed_at + timedelta(minutes=target_minutes)


def response_minutes(filed_at: datetime, first_feedback_at: datetime | None) -> float | None:
    """Minutes from filing to the first professional answer, to one decimal."""
    if first_feedback_at is None:
        return None
    return round((first_feedback_at - filed_at).total_seconds() / 60, 1)


def clock_end(first_feedback_at: datetime | None, stopped_at: datetime | None, now: datetime) -> datetime:
    """When the clock stopped: the first professional answer, the end of the report, or still running."""
    candidates = [t for t in (first_feedback_at, stopped_at) if t is not None]
    return min(candidates) if candidates else now


def feedback_overdue(
    due_at: datetime, first_feedback_at: datetime | None, stopped_at: datetime | None, now: datetime
) -> bool:
    return clock_end(first_feedback_at, stopped_at, now) > due_at


def target_met(due_at: datetime, first_feedback_at: datetime | None, stopped_at: datetime | None,
               now: datetime) -> bool | None:
    """True/False once decided; None while the clock still runs within the target (or it stopped unanswered
    before the due time, when there is nothing to judge)."""
    if first_feedback_at is not None:
        return first_feedback_at <= due_at
    if feedback_overdue(due_at, None, stopped_at, now):
        return False
    return None


@dataclass(frozen=True)
class ClockState:
    feedback_due_at: datetime
    first_feedback_at: datetime | None
    response_minutes: float | None
    feedback_overdue: bool
    target_met: bool | None


def state(filed_at: datetime, due_at: datetime, first_feedback_at: datetime | None,
          stopped_at: datetime | None, now: datetime) -> ClockState:
    return ClockState(
        feedback_due_at=due_at,
        first_feedback_at=first_feedback_at,
        response_minutes=response_minutes(filed_at, first_feedback_at),
        feedback_overdue=feedback_overdue(due_at, first_feedback_at, stopped_at, now),
        target_met=target_met(due_at, first_feedback_at, stopped_at, now),
    )


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (``share`` 0.9 = p90): always one of the observed values."""
    if not values:
        return None
    ordered = sorted(values)
    # round() first: 0.9 * 30 is 27.000000000000004 in floating point.
    rank = max(1, math.ceil(round(len(ordered) * share, 9)))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return round((ordered[middle - 1] + ordered[middle]) / 2, 1)

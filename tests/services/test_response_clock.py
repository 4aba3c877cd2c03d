"""The response clock is a pure function of stored timestamps."""

from datetime import UTC, datetime, timedelta

import pytest

from api.services import response_clock as rc

FILED = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
DUE = rc.feedback_due_at(FILED, 10)


def minutes(n: float) -> datetime:
    return FILED + timedelta(minutes=n)


def test_due_time_is_filing_plus_target():
    assert minutes(10) == DUE


@pytest.mark.parametrize(
    ("first", "stopped", "now", "overdue", "met", "response"),
    [
        (None, None, minutes(5), False, None, None),  # running within target
        (None, None, minutes(10), False, None, None),  # exactly at the due time: not yet late
        (None, None, minutes(11), True, False, None),  # ran out, no sweep needed to see it
        (minutes(4), None, minutes(60), False, True, 4.0),  # answered in time
        (minutes(10), None, minutes(60), False, True, 10.0),  # answered at the last moment
        (minutes(25), None, minutes(60), True, False, 25.0),  # answered late: stays overdue
        (None, minutes(3), minutes(60), False, None, None),  # withdrawn before the due time
        (None, minutes(30), minutes(60), True, False, None),  # closed unanswered after the due time
        (minutes(2), minutes(30), minutes(60), False, True, 2.0),
    ],
)
def test_state(first, stopped, now, overdue, met, response):
    state = rc.state(FILED, DUE, first, stopped, now)
    assert state.feedback_overdue is overdue
    assert state.target_met is met
    assert state.response_minutes == response
    assert state.feedback_due_at == DUE and state.first_feedback_at == first


def test_response_minutes_keep_one_decimal():
    assert rc.response_minutes(FILED, FILED + timedelta(seconds=250)) == 4.2
    assert rc.response_minutes(FILED, None) is None


def test_median_and_nearest_rank_p90():
    assert rc.median([]) is None and rc.percentile([], 0.9) is None
    assert rc.median([4.0]) == 4.0 and rc.percentile([4.0], 0.9) == 4.0
    assert rc.median([1, 3, 2]) == 2 and rc.median([1, 2, 3, 10]) == 2.5
    values = list(range(1, 11))
    assert rc.percentile(values, 0.9) == 9
    assert rc.percentile(list(range(1, 31)), 0.9) == 27
    assert rc.percentile([5, 1, 100], 0.9) == 100

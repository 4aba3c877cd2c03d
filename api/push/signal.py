"""Wakes the in-process worker as soon as a transaction with new deliveries commits.

Without it the worker would notice new deliveries only at its next poll; with it the first
notification of an urgent report leaves within milliseconds of the commit.
"""

import threading

_event = threading.Event()


def wake() -> None:
    _event.set()


def wait(timeout: float) -> bool:
    """Block until woken or ``timeout`` seconds pass; True when woken."""
    woken = _event.wait(timeout)
    _event.clear()
    return woken

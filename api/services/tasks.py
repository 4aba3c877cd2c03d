"""The signed-in user's tasks (``GET /api/v1/me/tasks``), gathered from registered providers.

A module that gives people something to do registers a provider once, at import time::

    from api.services import tasks

    @tasks.provider
    def survey_tasks(user: User, now: datetime) -> list[Task]:
        return [Task(type="survey", group_id=..., subject_type="survey", subject_id=..., title=..., created_at=...)]

Providers must not commit and should run a fixed number of queries whatever the user's groups.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from api.models import User


@dataclass(frozen=True)
class Task:
    type: str
    group_id: int
    subject_type: str
    subject_id: int | None
    title: str
    created_at: datetime
    due_at: datetime | None = None


TaskProvider = Callable[[User, datetime], list[Task]]
_providers: list[TaskProvider] = []


def provider(fn: TaskProvider) -> TaskProvider:
    if fn not in _providers:
        _providers.append(fn)
    return fn


def tasks_for(user: User, now: datetime) -> list[Task]:
    """Every provider's tasks, the ones due first (then oldest) on top."""
    found = [task for fn in _providers for task in fn(user, now)]
    return sorted(found, key=lambda t: (t.due_at is None, t.due_at or t.created_at, t.created_at))

"""The task registry: other modules add providers; tasks come back due-first."""

from datetime import UTC, datetime, timedelta

from api.services import tasks

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


def test_providers_are_merged_and_sorted(monkeypatch):
    monkeypatch.setattr(tasks, "_providers", [])

    @tasks.provider
    def surveys(user, now):
        return [tasks.Task("survey", 1, "survey", 7, "Vul de enquête in", now - timedelta(days=2))]

    @tasks.provider
    def visits(user, now):
        return [tasks.Task("check_in", 1, "report", 3, "Check-in", now - timedelta(hours=1), now + timedelta(hours=5))]

    tasks.provider(visits)  # registering twice keeps one
    found = tasks.tasks_for(user=None, now=NOW)
    assert [t.type for t in found] == ["check_in", "survey"]

"""Fuzz the report, feedback and check-in operations against the spec (schemathesis, in-process)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.report_fixtures import file_report, world  # noqa: F401

OPERATIONS = r"^/api/v1/(reports|groups/\{group_id\}/(reports|check-ins|stats|moderator-activity)|me/(reports|tasks))"
# Business rules (from before to, not in the future) rightly refuse some schema-valid input.
EXCLUDED = [positive_data_acceptance]


def _check_operation(operation, world, failures):  # noqa: F811
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy())
    def check(case):
        case.path_parameters = {k: (world.group_id if k == "group_id" else 1) for k in case.path_parameters or {}}
        try:
            case.call_and_validate(headers={**(case.headers or {}), **world.moderator.headers},
                                   excluded_checks=EXCLUDED)
        except Exception as error:
            failures.append(f"{operation.method} {operation.path}: {str(error)[:500]}")
            raise

    try:
        check()
    except Exception:  # recorded in failures; hypothesis re-raises the first one
        return


@pytest.mark.slow
def test_report_operations_conform_to_the_spec(app, client, world):  # noqa: F811
    file_report(client, world)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures: list[str] = []
    for result in schema.include(path_regex=OPERATIONS).get_all_operations():
        _check_operation(result.ok(), world, failures)
    assert not failures, "\n\n".join(failures[:10])

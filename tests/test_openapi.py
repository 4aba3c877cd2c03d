"""The spec is part of the product: it matches the code, and the API behaves as it says.

schemathesis generates requests for every operation from the spec and checks each answer
against it (status documented, body shape, no server errors), as a signed-in admin who
moderates a group, so object routes reach real data as well as 404s.
"""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.models import Role
from api.spec_export import spec_json
from tests.factories import make_group

COMMITTED_SPEC = "openapi/openapi.json"


def test_committed_spec_matches_the_code():
    with open(COMMITTED_SPEC, encoding="utf-8") as fh:
        committed = fh.read()
    assert committed == spec_json(), "openapi/openapi.json is out of date: run `make spec` and commit it"


def test_every_operation_documents_its_errors_and_summary():
    spec = json.loads(spec_json())
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), f"{method.upper()} {path} has no summary (docstring)"
            codes = set(operation["responses"])
            assert any(c.startswith("2") for c in codes), f"{method.upper()} {path} documents no success"
            if "{" in path:
                assert "404" in codes, f"{method.upper()} {path} takes an id but does not document 404"
            if operation.get("security"):
                assert "401" in codes, f"{method.upper()} {path} needs a token but does not document 401"
            for parameter in operation.get("parameters", []) + operations.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and schema.get("type") == "integer":
                    # Unbounded ids overflow the database's integer keys (a 500 instead of a 404).
                    assert "maximum" in schema, f"{method.upper()} {path}: path id {parameter['name']} is unbounded"
            if "requestBody" in operation:
                assert {"400", "415", "422"} <= codes, f"{method.upper()} {path} does not document body errors"


@pytest.fixture
def app_config():
    # Rate limits are tested on their own; here they would only turn generated requests into 429s.
    return {"RATELIMIT_ENABLED": False}


OPERATIONS = [
    (path, method.upper())
    for path, operations in json.loads(spec_json())["paths"].items()
    for method in operations
    if method != "parameters"
]


@pytest.fixture
def signed_in_admin(app, make_user):
    admin = make_user(Role.admin)
    member = make_user(Role.resident)
    professional = make_user(Role.professional)
    make_group(app, moderators=[admin], members=[member], professionals=[professional])
    return admin


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_api_conforms_to_its_spec(app, signed_in_admin, path, method):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def conforms(case):
        # All default checks but one: rules a schema cannot say (password strength, a report's time
        # not in the future, an event's end after its start, state conflicts) rightly answer 422 to
        # schema-valid input. Each of those rules has its own explicit test.
        case.call_and_validate(headers=signed_in_admin.headers, excluded_checks=[positive_data_acceptance])

    conforms()

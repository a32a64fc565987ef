"""The OSB spec's MUSTs (2.13 to 2.17) that the mock broker keeps: one test per
rule, named after it (fixtures/actors/brokers/mock_osb/rules.py), so a scenario built on
the mock cannot pass where a broker that keeps the spec would refuse."""
from __future__ import annotations

import base64
import json
import uuid

import pytest
import requests

from fixtures.actors.brokers.mock import BasicAuth, MockBroker
from fixtures.actors.brokers.mock_osb import rules
from fixtures.actors.brokers.osb import OSB_API_VERSION, builtin_catalog
from fixtures.core.waiting import Observation, wait_for


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with MockBroker(builtin_catalog("aws-minimal"), tmp_path_factory.mktemp("broker"), auth=BasicAuth.generate()) as broker:
        yield broker


@pytest.fixture
def broker(running: MockBroker):
    """The module's broker with its default behaviour back after each test."""
    yield running
    running.set_behaviour(async_only=False, provision_status=0, provision_outcome="succeeded", async_seconds=0.5)


def call(broker: MockBroker, method: str, path: str, body=None, headers=None) -> requests.Response:
    sent = {"X-Broker-API-Version": OSB_API_VERSION, **(headers or {})}
    return requests.request(method, broker.url + path, json=body, headers=sent, timeout=10, **broker.auth.requests_auth())


def plans(broker: MockBroker) -> tuple[str, str, str]:
    """service id, a plan id and another plan id of the same service."""
    service = next(s for s in broker.catalog.services if len(s.plans) > 1)
    return service.id, service.plans[0].id, service.plans[1].id


def provision_body(broker: MockBroker, **changes) -> dict:
    service_id, plan_id, _ = plans(broker)
    body = {"service_id": service_id, "plan_id": plan_id, "organization_guid": "org", "space_guid": "space"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def new_instance() -> str:
    return f"/v2/service_instances/{uuid.uuid4()}"


def provisioned(broker: MockBroker) -> str:
    instance = new_instance()
    assert call(broker, "PUT", instance, provision_body(broker)).status_code == 201
    return instance


def delete_query(broker: MockBroker) -> str:
    service_id, plan_id, _ = plans(broker)
    return f"service_id={service_id}&plan_id={plan_id}"


def assert_error_body(answer: requests.Response, error: str | None = None) -> None:
    """rules.ERROR_BODY: every refusal is {"error": ..., "description": ...}."""
    body = answer.json()
    assert set(body) == {"error", "description"}, body
    assert body["error"].isalpha() and body["description"], body
    if error is not None:
        assert body["error"] == error, body


@pytest.mark.parametrize("field", ["service_id", "plan_id", "organization_guid", "space_guid"])
def test_provision_mandatory_fields(broker, field):
    answer = call(broker, "PUT", new_instance(), provision_body(broker, **{field: None}))
    assert answer.status_code == 400, answer.text
    assert_error_body(answer)
    assert field in answer.json()["description"] and rules.PROVISION_MANDATORY_FIELDS in answer.json()["description"]


@pytest.mark.parametrize("field", ["service_id", "plan_id"])
def test_provision_known_plan(broker, field):
    answer = call(broker, "PUT", new_instance(), provision_body(broker, **{field: str(uuid.uuid4())}))
    assert answer.status_code == 400, answer.text
    assert_error_body(answer)
    assert rules.PROVISION_KNOWN_PLAN in answer.json()["description"]


def test_provision_conflict_and_identical(broker):
    instance = provisioned(broker)
    assert call(broker, "PUT", instance, provision_body(broker)).status_code == 200  # rules.PROVISION_IDENTICAL
    _, _, other_plan = plans(broker)
    for changed in (provision_body(broker, plan_id=other_plan), provision_body(broker, parameters={"size": "big"})):
        answer = call(broker, "PUT", instance, changed)
        assert answer.status_code == 409, answer.text
        assert_error_body(answer)
        assert rules.PROVISION_CONFLICT in answer.json()["description"]


def test_provision_in_progress_answers_the_same_operation(broker):
    """rules.PROVISION_IN_PROGRESS"""
    broker.set_behaviour(async_seconds=30)
    instance = new_instance()
    first = call(broker, "PUT", instance + "?accepts_incomplete=true", provision_body(broker))
    again = call(broker, "PUT", instance + "?accepts_incomplete=true", provision_body(broker))
    assert first.status_code == again.status_code == 202, (first.text, again.text)
    assert first.json()["operation"] and again.json() == {"operation": first.json()["operation"]}


def test_async_required(broker):
    """rules.ASYNC_REQUIRED"""
    broker.set_behaviour(async_only=True)
    answer = call(broker, "PUT", new_instance(), provision_body(broker))
    assert answer.status_code == 422, answer.text
    assert_error_body(answer, "AsyncRequired")
    assert call(broker, "PUT", new_instance() + "?accepts_incomplete=true", provision_body(broker)).status_code == 202


@pytest.mark.parametrize("field", ["service_id", "plan_id"])
def test_bind_mandatory_fields(broker, field):
    instance = provisioned(broker)
    service_id, plan_id, _ = plans(broker)
    body = {k: v for k, v in {"service_id": service_id, "plan_id": plan_id}.items() if k != field}
    answer = call(broker, "PUT", f"{instance}/service_bindings/b-1", body)
    assert answer.status_code == 400, answer.text
    assert_error_body(answer)
    assert rules.BIND_MANDATORY_FIELDS in answer.json()["description"]


def test_bind_known_plan(broker):
    instance = provisioned(broker)
    service_id, _, _ = plans(broker)
    answer = call(broker, "PUT", f"{instance}/service_bindings/b-1", {"service_id": service_id, "plan_id": str(uuid.uuid4())})
    assert answer.status_code == 400, answer.text
    assert_error_body(answer)
    assert rules.BIND_KNOWN_PLAN in answer.json()["description"]


def test_bind_conflict_and_identical(broker):
    instance = provisioned(broker)
    service_id, plan_id, other_plan = plans(broker)
    binding = f"{instance}/service_bindings/{uuid.uuid4()}"
    body = {"service_id": service_id, "plan_id": plan_id, "parameters": {"role": "reader"}}
    first = call(broker, "PUT", binding, body)
    assert first.status_code == 201, first.text
    again = call(broker, "PUT", binding, body)  # rules.BIND_IDENTICAL
    assert again.status_code == 200 and again.json() == first.json(), again.text
    for changed in ({**body, "parameters": {"role": "writer"}}, {**body, "plan_id": other_plan}):
        answer = call(broker, "PUT", binding, changed)
        assert answer.status_code == 409, answer.text
        assert_error_body(answer)
        assert rules.BIND_CONFLICT in answer.json()["description"]


@pytest.mark.parametrize("query", ["", "?service_id=S", "?plan_id=P"])
def test_unbind_query(broker, query):
    instance = provisioned(broker)
    service_id, plan_id, _ = plans(broker)
    binding = f"{instance}/service_bindings/b-1"
    assert call(broker, "PUT", binding, {"service_id": service_id, "plan_id": plan_id}).status_code == 201
    answer = call(broker, "DELETE", binding + query)
    assert answer.status_code == 400, answer.text
    assert_error_body(answer)
    assert rules.UNBIND_QUERY in answer.json()["description"]
    assert call(broker, "PUT", binding, {"service_id": service_id, "plan_id": plan_id}).status_code == 200, "the binding was deleted"


@pytest.mark.parametrize("query", ["", "?service_id=S", "?plan_id=P"])
def test_deprovision_query(broker, query):
    instance = provisioned(broker)
    answer = call(broker, "DELETE", instance + query)
    assert answer.status_code == 400, answer.text
    assert_error_body(answer)
    assert rules.DEPROVISION_QUERY in answer.json()["description"]
    assert call(broker, "PUT", instance, provision_body(broker)).status_code == 200, "the instance was deleted"


def test_gone_is_empty(broker):
    """rules.GONE_IS_EMPTY: unbind, deprovision and last_operation alike."""
    instance = provisioned(broker)
    service_id, plan_id, _ = plans(broker)
    unbound = call(broker, "DELETE", f"{instance}/service_bindings/never?{delete_query(broker)}")
    assert (unbound.status_code, unbound.json()) == (410, {})
    assert call(broker, "DELETE", f"{instance}?{delete_query(broker)}").status_code == 200
    gone = call(broker, "DELETE", f"{instance}?{delete_query(broker)}")
    assert (gone.status_code, gone.json()) == (410, {})
    polled = call(broker, "GET", f"{instance}/last_operation")
    assert (polled.status_code, polled.json()) == (410, {})


def test_async_deprovision_ends_in_gone_is_empty(broker):
    broker.set_behaviour(async_seconds=0.1)
    instance = provisioned(broker)
    started = call(broker, "DELETE", f"{instance}?{delete_query(broker)}&accepts_incomplete=true")
    assert started.status_code == 202 and started.json()["operation"], started.text

    def polled() -> Observation[requests.Response]:
        answer = call(broker, "GET", f"{instance}/last_operation")
        return Observation(answer.status_code == 410, answer, f"HTTP {answer.status_code} {answer.text.strip()}")

    assert wait_for("the deprovision to end", polled, timeout=10, interval=0.05).json() == {}


@pytest.mark.parametrize("path", ["/v2/service_instances/i-x", "/v2/service_instances/i-x/service_bindings/b-x"])
def test_error_body(broker, path):
    """rules.ERROR_BODY, for 400, 412 and 401 alike."""
    answers = [
        call(broker, "PUT", path, {"service_id": "nope"}),
        requests.put(broker.url + path, json={}, timeout=10, **broker.auth.requests_auth()),  # no version header: 412
        requests.put(broker.url + path, json={}, headers={"X-Broker-API-Version": OSB_API_VERSION}, timeout=10),  # no credentials: 401
    ]
    assert [a.status_code for a in answers] == [400, 412, 401]
    for answer in answers:
        assert_error_body(answer)


def test_scripted_provision_failures_carry_the_description(broker):
    broker.set_behaviour(provision_status=500, failure_description="backend on fire")
    answer = call(broker, "PUT", new_instance(), provision_body(broker))
    assert answer.status_code == 500 and answer.json()["description"] == "backend on fire", answer.text
    broker.set_behaviour(provision_status=0, provision_outcome="failed", async_seconds=0.05)
    instance = new_instance()
    assert call(broker, "PUT", instance + "?accepts_incomplete=true", provision_body(broker)).status_code == 202

    def state() -> Observation[dict]:
        body = call(broker, "GET", instance + "/last_operation").json()
        return Observation(body["state"] != "in progress", body, json.dumps(body))

    assert wait_for("the provision to end", state, timeout=10, interval=0.05) == {"state": "failed", "description": "backend on fire"}
    # A failed provision leaves nothing behind: the platform may try again with the same id.
    broker.set_behaviour(provision_outcome="succeeded")
    assert call(broker, "PUT", instance + "?accepts_incomplete=true", provision_body(broker)).status_code == 202


def test_originating_and_request_identity(broker):
    identity = {"username": "developer", "uid": "1", "groups": ["devs"]}
    header = "kubernetes " + base64.b64encode(json.dumps(identity).encode()).decode()
    request_id = str(uuid.uuid4())
    call(broker, "PUT", new_instance(), provision_body(broker), headers={"X-Broker-API-Originating-Identity": header, "X-Broker-API-Request-Identity": request_id})
    call(broker, "GET", "/v2/catalog")
    with_identity, without = broker.recorded_requests()[-2:]
    assert with_identity["originating_identity"] == {"platform": "kubernetes", "value": identity, "decodable": True}  # rules.ORIGINATING_IDENTITY
    assert with_identity["request_identity"] == request_id  # rules.REQUEST_IDENTITY
    assert with_identity["body"]["organization_guid"] == "org"
    assert without["originating_identity"] is None and without["request_identity"] is None


def test_every_rule_has_its_test():
    """Each rule in rules.py is named by a test of this module (by its constant)."""
    source = open(__file__).read()
    for name in (n for n in vars(rules) if n.isupper() and n != "ALL"):
        assert f"rules.{name}" in source, f"no test names rules.{name}"
    assert len(rules.ALL) == len([n for n in vars(rules) if n.isupper() and n != "ALL"])

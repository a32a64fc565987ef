"""Reading the mock broker's record as OSB operations, and the journey's checks on it."""
from __future__ import annotations

import pytest

from fixtures.actors.instances import broker_calls
from fixtures.actors.instances.bindings import credential_differences

I, B = "inst-1", "bind-1"


def entry(method: str, path: str, status: int, body=None, answer=None, at: float = 0.0) -> dict:
    return {"method": method, "path": path, "status": status, "body": body, "answer": answer, "at": at, "duration_ms": 1.0, "headers": {}}


def journey() -> list[dict]:
    context = {"platform": "kubernetes", "namespace": "ns"}
    return [
        entry("GET", "/v2/catalog", 200),
        entry("PUT", f"/v2/service_instances/{I}?accepts_incomplete=true", 202, {"service_id": "s", "plan_id": "p", "context": context}),
        entry("GET", f"/v2/service_instances/{I}/last_operation?operation=op", 200, answer={"state": "in progress"}),
        entry("GET", f"/v2/service_instances/{I}/last_operation?operation=op", 200, answer={"state": "succeeded"}),
        entry("PUT", f"/v2/service_instances/{I}/service_bindings/{B}", 201, {"service_id": "s", "plan_id": "p"}),
        entry("DELETE", f"/v2/service_instances/{I}/service_bindings/{B}?plan_id=p&service_id=s", 200),
        entry("DELETE", f"/v2/service_instances/{I}?accepts_incomplete=true&plan_id=p&service_id=s", 202),
        entry("GET", f"/v2/service_instances/{I}/last_operation?operation=op2", 410, answer={}),
    ]


def test_records_become_operations_without_the_catalog():
    calls = broker_calls.osb_calls(journey())
    assert [c.operation for c in calls] == ["provision", "last_operation", "last_operation", "bind", "unbind", "deprovision", "last_operation"]
    assert calls[3].binding_id == B and calls[5].query == {"accepts_incomplete": "true", "plan_id": "p", "service_id": "s"}


def test_a_whole_journey_passes_every_check():
    calls = broker_calls.osb_calls(journey())
    broker_calls.expect_one_provision(calls, I, "s", "p", "ns")
    broker_calls.expect_polled_to(calls, I, "succeeded")
    broker_calls.expect_delete(calls, "unbind", I, B, "s", "p")
    broker_calls.expect_deprovisioned(calls, I, "s", "p")


def test_a_second_provision_or_another_namespace_fails_the_check():
    twice = broker_calls.osb_calls(journey()[:2] + journey()[1:2])
    with pytest.raises(AssertionError, match="2 provisions"):
        broker_calls.expect_one_provision(twice, I, "s", "p", "ns")
    with pytest.raises(AssertionError, match="context"):
        broker_calls.expect_one_provision(broker_calls.osb_calls(journey()), I, "s", "p", "other")


def test_an_unbind_without_the_query_parameters_fails_the_check():
    records = journey()
    records[5] = entry("DELETE", f"/v2/service_instances/{I}/service_bindings/{B}", 400)
    with pytest.raises(AssertionError, match="unbind query"):
        broker_calls.expect_delete(broker_calls.osb_calls(records), "unbind", I, B, "s", "p")


def test_a_poll_that_never_ends_fails_the_check():
    calls = broker_calls.osb_calls(journey()[:3])
    with pytest.raises(AssertionError, match="not ending in 'succeeded'"):
        broker_calls.expect_polled_to(calls, I, "succeeded")


def test_credential_differences_name_keys_never_values():
    returned = {"uri": "mock://x", "password": "s3cret-value", "port": 5432}
    assert credential_differences({"uri": "mock://x", "password": "s3cret-value", "port": "5432"}, returned) == []
    differences = credential_differences({"uri": "mock://y", "extra": "e"}, returned)
    assert differences == ["missing from the Secret: password", "missing from the Secret: port", "not returned by the broker: extra", "value of uri differs"]
    assert not any("s3cret" in d or "mock://" in d for d in differences)

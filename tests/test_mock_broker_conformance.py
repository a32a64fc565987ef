"""The mock OSB broker checked the way osb-checker checks a broker: 412 without
the API version header, 401 on every endpoint without or with bad credentials,
the catalog's schema, async provision polled through last_operation, 409 on a
conflicting re-provision, bind/unbind and deprovision."""
from __future__ import annotations

import uuid

import jsonschema
import pytest
import requests

from fixtures.actors.brokers.mock import BasicAuth, BearerAuth, MockBroker
from fixtures.actors.brokers.osb import OSB_API_VERSION, builtin_catalog
from fixtures.core.waiting import Observation, wait_for

CATALOG_SCHEMA = {
    "type": "object",
    "required": ["services"],
    "properties": {
        "services": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "description", "bindable", "plans"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "name": {"type": "string", "pattern": "^[a-z0-9-]+$"},
                    "bindable": {"type": "boolean"},
                    "plans": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "object", "required": ["id", "name", "description"], "properties": {"name": {"type": "string", "pattern": "^[a-z0-9-]+$"}}},
                    },
                },
            },
        }
    },
}

ENDPOINTS = [
    ("GET", "/v2/catalog"),
    ("PUT", "/v2/service_instances/i-1"),
    ("GET", "/v2/service_instances/i-1/last_operation"),
    ("DELETE", "/v2/service_instances/i-1"),
    ("PUT", "/v2/service_instances/i-1/service_bindings/b-1"),
    ("DELETE", "/v2/service_instances/i-1/service_bindings/b-1"),
]


@pytest.fixture(scope="module", params=["basic", "bearer"])
def broker(request, tmp_path_factory):
    auth = BasicAuth.generate() if request.param == "basic" else BearerAuth.generate()
    with MockBroker(builtin_catalog("aws-full"), tmp_path_factory.mktemp("broker"), auth=auth, tls="trusted") as running:
        running.set_behaviour(async_seconds=0.3)
        yield running


def call(broker: MockBroker, method: str, path: str, body=None, auth="right", api_version=OSB_API_VERSION) -> requests.Response:
    headers = {"X-Broker-API-Version": api_version} if api_version else {}
    kwargs = {}
    if auth == "right":
        kwargs = broker.auth.requests_auth()
    elif auth == "wrong":
        kwargs = type(broker.auth).generate().requests_auth()
    headers.update(kwargs.pop("headers", {}))
    return requests.request(method, broker.url + path, json=body, headers=headers, timeout=10, verify=broker._verify, **kwargs)


def _first_plan(broker: MockBroker) -> tuple[str, str]:
    service = broker.catalog.services[0]
    return service.id, service.plans[0].id


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_every_endpoint_refuses_missing_and_wrong_credentials(broker, method, path):
    assert call(broker, method, path, auth="none").status_code == 401
    assert call(broker, method, path, auth="wrong").status_code == 401


@pytest.mark.parametrize("method, path", ENDPOINTS)
@pytest.mark.parametrize("version", [None, "2.12", "banana"])
def test_every_endpoint_needs_api_version_2_13_or_later(broker, method, path, version):
    assert call(broker, method, path, api_version=version).status_code == 412


def test_catalog_matches_the_osb_schema(broker):
    answer = call(broker, "GET", "/v2/catalog")
    assert answer.status_code == 200
    jsonschema.validate(answer.json(), CATALOG_SCHEMA)
    assert len(answer.json()["services"]) == 27


def test_async_provision_is_polled_to_success_then_bound_unbound_and_deprovisioned(broker):
    service_id, plan_id = _first_plan(broker)
    instance = f"/v2/service_instances/{uuid.uuid4()}"
    body = {"service_id": service_id, "plan_id": plan_id, "organization_guid": "o", "space_guid": "s"}
    started = call(broker, "PUT", instance + "?accepts_incomplete=true", body)
    assert started.status_code == 202 and "operation" in started.json()

    def state() -> Observation[str]:
        answer = call(broker, "GET", instance + "/last_operation")
        assert answer.status_code == 200, answer.text
        current = answer.json()["state"]
        assert current in ("in progress", "succeeded"), current
        return Observation(current == "succeeded", current, current)

    assert wait_for("the provision to finish", state, timeout=10, interval=0.05) == "succeeded"
    bound = call(broker, "PUT", instance + "/service_bindings/b-1", {"service_id": service_id, "plan_id": plan_id})
    assert bound.status_code == 201 and "credentials" in bound.json()
    query = f"?service_id={service_id}&plan_id={plan_id}"
    assert call(broker, "DELETE", instance + "/service_bindings/b-1" + query).status_code == 200
    assert call(broker, "DELETE", instance + "/service_bindings/b-1" + query).status_code == 410
    assert call(broker, "DELETE", instance + query).status_code == 200
    assert call(broker, "GET", instance + "/last_operation").status_code == 410


def test_identical_reprovision_is_200_and_conflicting_one_is_409(broker):
    service = next(s for s in broker.catalog.services if len(s.plans) > 1)
    service_id, plan_id, other_plan = service.id, service.plans[0].id, service.plans[1].id
    instance = f"/v2/service_instances/{uuid.uuid4()}"
    body = {"service_id": service_id, "plan_id": plan_id, "organization_guid": "o", "space_guid": "s"}
    assert call(broker, "PUT", instance, body).status_code == 201
    assert call(broker, "PUT", instance, body).status_code == 200
    assert call(broker, "PUT", instance, {**body, "plan_id": other_plan}).status_code == 409


def test_unknown_plan_is_a_bad_request(broker):
    assert call(broker, "PUT", f"/v2/service_instances/{uuid.uuid4()}", {"service_id": "nope", "plan_id": "nope", "organization_guid": "o", "space_guid": "s"}).status_code == 400


def test_scripted_failures_and_recovery(broker):
    broker.set_behaviour(catalog_status=500)
    assert call(broker, "GET", "/v2/catalog").status_code == 500
    broker.set_behaviour(catalog_status=200, malformed_catalog=True)
    with pytest.raises(ValueError):
        call(broker, "GET", "/v2/catalog").json()
    broker.set_behaviour(malformed_catalog=False)
    assert call(broker, "GET", "/v2/catalog").status_code == 200


def test_rotated_credentials_replace_the_old_ones(broker):
    old = broker.auth
    new = broker.rotate_credentials()
    try:
        assert broker.get("/v2/catalog", auth=old).status_code == 401
        assert broker.get("/v2/catalog", auth=new).status_code == 200
    finally:
        broker.use_credentials(old)


def test_requests_are_recorded_with_secrets_redacted(broker):
    call(broker, "GET", "/v2/catalog")
    last = broker.recorded_requests()[-1]
    assert last["method"] == "GET" and last["path"] == "/v2/catalog" and last["status"] == 200
    assert last["headers"]["Authorization"] == "[REDACTED]"
    assert last["duration_ms"] >= 0


def test_an_untrusted_certificate_fails_verification_against_the_ca_given_to_the_cluster(tmp_path):
    with MockBroker(builtin_catalog("aws-minimal"), tmp_path, tls="untrusted") as broker:
        bundle = tmp_path / "told.crt"
        bundle.write_bytes(broker.ca_pem)
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(broker.url + "/v2/catalog", verify=str(bundle), timeout=5)


def test_a_scripted_minimum_api_version_refuses_older_headers(broker):
    broker.set_behaviour(min_api_version="2.15")
    try:
        assert call(broker, "GET", "/v2/catalog", api_version="2.14").status_code == 412
        assert call(broker, "GET", "/v2/catalog", api_version="2.15").status_code == 200
    finally:
        broker.set_behaviour(min_api_version="2.13")


def test_a_replaced_certificate_is_no_longer_trusted_by_the_old_ca(tmp_path):
    with MockBroker(builtin_catalog("aws-minimal"), tmp_path, tls="trusted") as broker:
        bundle = tmp_path / "told.crt"
        bundle.write_bytes(broker.ca_pem)
        port = broker.port
        assert broker.get("/v2/catalog").status_code == 200
        assert requests.get(broker.url + "/v2/catalog", verify=str(bundle), timeout=5).status_code == 401  # trusted, but no credentials
        broker.replace_certificate("untrusted")
        assert broker.port == port and broker.ca_pem == bundle.read_bytes()
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(broker.url + "/v2/catalog", verify=str(bundle), timeout=5)

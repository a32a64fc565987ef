"""Steps about the developer's journey after the page: create, bind, unbind and
delete a service through Service Catalog (features/journey.feature)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import pytest
from kubernetes import client
from pytest_bdd import given, parsers, then, when

from fixtures.actors.brokers.aws import NAME
from fixtures.actors.aws.prerequisites import PrerequisitesStack
from fixtures.actors.aws.qualification import OperationFailed, StackResources, check_credentials
from fixtures.actors.brokers.mock import MockBroker
from fixtures.actors.brokers.mock_osb.state import SCRIPTED_FAILURE_DESCRIPTION
from fixtures.platform.catalog import names
from fixtures.platform.catalog.events import wait_for_event
from fixtures.platform.catalog.registration import Registration
from fixtures.core.commands import Cli
from fixtures.actors.instances import broker_calls
from fixtures.actors.instances.bindings import credential_differences, svcat_bind, svcat_unbind
from fixtures.actors.instances.kf_services import KfAppCrd, KfServices
from fixtures.actors.instances.objects import ServiceObjects
from fixtures.actors.instances.status import OperationStatus
from fixtures.actors.marketplace.compare import plan_removal_flags
from fixtures.core.lifecycle import Given
from fixtures.core.parallel import ScenarioTurns, one_per_run
from fixtures.core.turn_names import CLASS_NAMES
from fixtures.core.waiting import Observation, wait_for


@pytest.fixture
def service_objects(kube_api: client.ApiClient, namespace: str, suite_options, keeper) -> Iterator[ServiceObjects]:
    """The scenario's instances and bindings; whatever is left is deleted (the broker told) afterwards."""
    objects = ServiceObjects(kube_api, namespace, suite_options.ready_timeout)
    yield objects
    if not keeper.keeping:
        objects.delete_all()


def creates_an_instance(step_text: str) -> bool:
    """A step after which Service Catalog looks up an instance's class and plan by their external
    names (which one ClusterServiceBroker must then offer alone: CLASS_NAMES)."""
    return step_text.startswith("I run kf create-service ") or step_text.endswith(" is created through the API")


def pytest_bdd_after_step(request: pytest.FixtureRequest, feature, scenario, step, step_func, step_func_args) -> None:
    """A journey takes the class names whole for its lookups by name. Once the last instance it
    creates has been looked up, it holds them shared, like any registration: the scenarios waiting
    on it need not wait out its binds, deletions and teardown."""
    position = next(index for index, each in enumerate(scenario.steps) if each is step)
    if not creates_an_instance(step.name) or any(creates_an_instance(later.name) for later in scenario.steps[position + 1:]):
        return
    turns: ScenarioTurns = request.getfixturevalue("scenario_turns")
    if not turns.holds_whole(CLASS_NAMES):
        return
    objects: ServiceObjects = request.getfixturevalue("service_objects")
    for instance in objects.names_of(names.SERVICE_INSTANCES):
        objects.wait_resolved(instance)
    turns.share(CLASS_NAMES)


@pytest.fixture(scope="session")
def kf_app_crd(request: pytest.FixtureRequest, service_catalog, kube_api: client.ApiClient, suite_options) -> Iterator[KfAppCrd]:
    """One per cluster: under xdist the first worker applies it and the last one to leave removes it
    (a worker that removed it at its own end failed another's `kf services` on the same cluster)."""
    crd = KfAppCrd(service_catalog.kubectl, kube_api, suite_options.start_timeout)
    with one_per_run(request, "kf-app-crd", suite_options.start_timeout, lambda: crd, lambda _: {}, lambda _: Given(crd)) as applied:
        yield applied


@pytest.fixture
def kf_services(kf: Cli, kf_app_crd: KfAppCrd, suite_options) -> KfServices:
    return KfServices(kf, suite_options.ready_timeout)


def _calls(osb_broker: MockBroker) -> list[broker_calls.BrokerCall]:
    return broker_calls.osb_calls(osb_broker.recorded_requests())


# --- creating ----------------------------------------------------------------------
@when(parsers.parse('I run kf create-service "{service}" "{plan}" "{instance}"'))
def kf_create_service(kf_services: KfServices, service_objects: ServiceObjects, namespace: str, service: str, plan: str, instance: str) -> None:
    result = kf_services.create_service(namespace, service, plan, instance)
    assert result.returncode == 0, f"kf create-service failed (exit {result.returncode}): {result.stderr.strip()[-400:]}"


@when(parsers.parse("I run kf create-service \"{service}\" \"{plan}\" \"{instance}\" with the parameters '{parameters}'"))
def kf_create_service_with(kf_services: KfServices, service_objects: ServiceObjects, namespace: str, service: str, plan: str, instance: str, parameters: str) -> None:
    result = kf_services.create_service(namespace, service, plan, instance, parameters=parameters)
    assert result.returncode == 0, f"kf create-service -c {parameters} failed (exit {result.returncode}): {result.stderr.strip()[-400:]}"


@when(parsers.parse('I run kf create-service "{service}" "{plan}" "{instance}" without waiting'))
def kf_create_service_async(kf_services: KfServices, service_objects: ServiceObjects, namespace: str, service: str, plan: str, instance: str) -> None:
    result = kf_services.create_service(namespace, service, plan, instance, wait=False)
    assert result.returncode == 0, f"kf create-service --async failed (exit {result.returncode}): {result.stderr.strip()[-400:]}"


@when(parsers.parse('I run kf create-service "{service}" "{plan}" "{instance}", which fails'), target_fixture="kf_create_failure")
def kf_create_service_fails(kf_services: KfServices, service_objects: ServiceObjects, namespace: str, service: str, plan: str, instance: str) -> str:
    result = kf_services.create_service(namespace, service, plan, instance)
    assert result.returncode != 0, f"kf create-service succeeded: {result.stdout.strip()[-300:]}"
    return result.stderr + result.stdout


@when(parsers.parse("I run kf create-service \"{service}\" \"{plan}\" \"{instance}\" with the parameters '{parameters}', which fails"), target_fixture="kf_create_failure")
def kf_create_service_with_fails(kf_services: KfServices, service_objects: ServiceObjects, namespace: str, service: str, plan: str, instance: str, parameters: str) -> str:
    result = kf_services.create_service(namespace, service, plan, instance, parameters=parameters)
    assert result.returncode != 0, f"kf create-service -c {parameters} succeeded: {result.stdout.strip()[-300:]}"
    return result.stderr + result.stdout


@then("kf create-service says the provision failed, with the broker's description")
def kf_create_failure_says_why(kf_create_failure: str) -> None:
    # Kf v0.2.0 (pkg/kf/services ProvisionSuccess): "provision failed, message: <Failed condition's message> reason: <its reason>"
    assert "provision failed, message:" in kf_create_failure and SCRIPTED_FAILURE_DESCRIPTION in kf_create_failure, kf_create_failure[-500:]


@when(parsers.parse('a ServiceInstance "{instance}" of "{service}" "{plan}" is created through the API'))
def api_create_instance(service_objects: ServiceObjects, instance: str, service: str, plan: str) -> None:
    service_objects.create_instance(instance, service, plan)


@then(parsers.parse('the ServiceInstance "{instance}" is Ready'), target_fixture="instance_status")
def instance_ready(service_objects: ServiceObjects, instance: str) -> OperationStatus:
    return service_objects.wait_ready(names.SERVICE_INSTANCES, instance, names.REASON_PROVISIONED)


@then(parsers.parse('the broker saw exactly one provision of "{service}" "{plan}", with the context of platform kubernetes and the scenario\'s namespace'))
def one_provision(osb_broker: MockBroker, instance_status: OperationStatus, namespace: str, service: str, plan: str) -> None:
    offered, offered_plan = osb_broker.catalog.plan(service, plan)
    broker_calls.expect_one_provision(_calls(osb_broker), instance_status.external_id, offered.id, offered_plan.id, namespace)


@then("Service Catalog polled last_operation until the provision succeeded")
def polled_to_success(osb_broker: MockBroker, instance_status: OperationStatus) -> None:
    calls = _calls(osb_broker)
    provision = broker_calls.of(calls, "provision", instance_status.external_id)[0]
    assert provision.status == 202 and provision.query.get("accepts_incomplete") == "true", f"the provision was not asynchronous: {provision}"
    broker_calls.expect_polled_to(calls, instance_status.external_id, "succeeded")


@then(parsers.parse('kf services lists "{instance}" of "{service}" "{plan}" as "{last_operation}"'))
def kf_services_lists(kf_services: KfServices, run_folder, suite_options, namespace: str, instance: str, service: str, plan: str, last_operation: str) -> None:
    expected = {"NAME": instance, "SERVICE": service, "PLAN": plan, "LAST OPERATION": last_operation}

    def listed() -> Observation[str]:
        listing = kf_services.services(namespace)
        row = listing.rows.get(instance, {})
        shown = {key: row.get(key, "") for key in expected}
        return Observation(shown == expected, listing.drift, f"kf services: {row or f'no {instance} among {sorted(listing.rows)}'}")

    # The last operation moves on as Service Catalog works (a retried failure cycles through orphan mitigation).
    drift = wait_for(f"kf services to list {instance} as {last_operation}", listed, suite_options.ready_timeout, interval=0.5)
    if drift:
        run_folder.append_finding_once(drift)


# --- binding -----------------------------------------------------------------------
@when(parsers.parse('I bind "{instance}" with svcat as "{binding}"'))
def bind(svcat: Cli, service_objects: ServiceObjects, namespace: str, instance: str, binding: str) -> None:
    svcat_bind(svcat, namespace, instance, binding)


@then(parsers.parse('the ServiceBinding "{binding}" is Ready'), target_fixture="binding_status")
def binding_ready(service_objects: ServiceObjects, binding: str) -> OperationStatus:
    return service_objects.wait_ready(names.SERVICE_BINDINGS, binding, names.REASON_BOUND)


@then("its Secret holds the credentials the broker returned")
def secret_holds_credentials(osb_broker: MockBroker, service_objects: ServiceObjects, instance_status: OperationStatus, binding_status: OperationStatus) -> None:
    returned = osb_broker.issued_credentials().get((instance_status.external_id, binding_status.external_id))
    assert returned, f"the broker issued no credentials for {instance_status.external_id}/{binding_status.external_id}"
    stored = service_objects.secret_data(binding_status.name)
    assert stored is not None, f"no Secret {binding_status.name} in {service_objects.namespace}"
    differences = credential_differences(stored, returned)
    assert not differences, f"the Secret {binding_status.name} differs from the broker's credentials: {'; '.join(differences)}"


@when(parsers.parse('I unbind "{binding}" with svcat'))
def unbind(svcat: Cli, service_objects: ServiceObjects, suite_options, binding: str) -> None:
    svcat_unbind(svcat, service_objects.namespace, binding, suite_options.ready_timeout)
    service_objects.wait_gone(names.SERVICE_BINDINGS, binding)


@then("the broker saw the unbind, and the binding's Secret is gone")
def unbound(osb_broker: MockBroker, service_objects: ServiceObjects, instance_status: OperationStatus, binding_status: OperationStatus) -> None:
    service_id, plan_id = service_objects.osb_ids(instance_status.name)
    broker_calls.expect_delete(_calls(osb_broker), "unbind", instance_status.external_id, binding_status.external_id, service_id, plan_id)
    assert binding_status.name not in service_objects.names_of(names.SERVICE_BINDINGS)
    assert service_objects.secret_data(binding_status.name) is None, f"the Secret {binding_status.name} is still there"


# --- deleting ----------------------------------------------------------------------
@when(parsers.parse('I run kf delete-service "{instance}"'), target_fixture="deleted_ids")
def kf_delete_service(kf_services: KfServices, service_objects: ServiceObjects, instance_status: OperationStatus, instance: str) -> tuple[str, str]:
    ids = service_objects.osb_ids(instance)  # read before the instance goes
    result = kf_services.delete_service(service_objects.namespace, instance)
    assert result.returncode == 0, f"kf delete-service failed (exit {result.returncode}): {result.stderr.strip()[-400:]}"
    return ids


@then("the broker saw the deprovision, and no ServiceInstance or ServiceBinding is left")
def deprovisioned(osb_broker: MockBroker, service_objects: ServiceObjects, instance_status: OperationStatus, deleted_ids: tuple[str, str]) -> None:
    service_id, plan_id = deleted_ids
    broker_calls.expect_deprovisioned(_calls(osb_broker), instance_status.external_id, service_id, plan_id)
    assert not service_objects.leftovers(), f"left in {service_objects.namespace}: {service_objects.leftovers()}"


# --- failures ----------------------------------------------------------------------
@given(parsers.parse("the broker fails provisions with HTTP {status:d}"))
def broker_fails_provision(osb_broker: MockBroker, status: int) -> None:
    osb_broker.set_behaviour(provision_status=status)


@given('the broker fails provisions with an async "failed" state')
def broker_fails_async(osb_broker: MockBroker) -> None:
    osb_broker.set_behaviour(provision_outcome="failed")


@then(parsers.parse('the ServiceInstance "{instance}" fails for the reason "{reason}" with the broker\'s description'), target_fixture="instance_status")
def instance_fails_with_description(kube_api: client.ApiClient, service_objects: ServiceObjects, suite_options, instance: str, reason: str) -> OperationStatus:
    # The event lasts; the condition of a retried failure (5xx) gives way to orphan mitigation within a second.
    event = wait_for_event(kube_api, "ServiceInstance", instance, reason, suite_options.ready_timeout, service_objects.namespace)
    assert event.type == "Warning" and SCRIPTED_FAILURE_DESCRIPTION in (event.message or ""), f"{event.type} {reason}: {event.message}"
    status = OperationStatus.from_object(service_objects.read(names.SERVICE_INSTANCES, instance))
    assert not status.is_ready_for(names.REASON_PROVISIONED), status.describe()
    for condition in (c for c in status.conditions if c.reason == reason):
        assert SCRIPTED_FAILURE_DESCRIPTION in condition.message, status.describe()
    return status


@then(parsers.parse('the ServiceInstance "{instance}" is refused for the reason "{reason}"'), target_fixture="instance_status")
def instance_refused(service_objects: ServiceObjects, instance: str, reason: str) -> OperationStatus:
    return service_objects.wait_failed(names.SERVICE_INSTANCES, instance, reason)


@then("the broker saw no provision of it")
def no_provision(osb_broker: MockBroker, instance_status: OperationStatus) -> None:
    calls = _calls(osb_broker)
    assert not broker_calls.of(calls, "provision", instance_status.external_id), broker_calls.describe(calls)


# --- the catalog changes -------------------------------------------------------------
@when(parsers.parse('the broker stops offering the plan "{plan}" of "{service}"'))
def broker_drops_plan(osb_broker: MockBroker, plan: str, service: str) -> None:
    osb_broker.serve_catalog(osb_broker.fetch_catalog().without_plan(service, plan))
    assert (service, plan) not in osb_broker.fetch_catalog().plan_pairs()


@then(parsers.parse('the ClusterServicePlan "{plan}" of "{service}" is marked removedFromBrokerCatalog'))
def plan_marked_removed(kube_api: client.ApiClient, registration: Registration, plan: str, service: str, suite_options) -> None:
    def observe() -> Observation[None]:
        flags = plan_removal_flags(kube_api, registration.name, service, plan)
        return Observation(flags == [True], None, f"{service}/{plan}: {len(flags)} plan(s), removedFromBrokerCatalog={flags}")

    wait_for(f"ClusterServicePlan {service}/{plan} marked removed", observe, suite_options.ready_timeout, interval=0.25, tolerate=(OSError, client.ApiException))


# --- the real AWS broker (upstream's templates on emulated AWS) ------------------------
@then(parsers.parse('emulated AWS holds the instance\'s stack of "{service}", created'), target_fixture="instance_stack")
def instance_stack_created(prerequisites: PrerequisitesStack, toolchain, instance_status: OperationStatus, service: str) -> StackResources:
    """CREATE_COMPLETE in moto, and the queue, topic, bucket, table, key or user it lists there too: not only the broker's word."""
    stack = StackResources.of_instance(prerequisites.aws, toolchain.source_tree(NAME), service, instance_status.external_id)
    stack.check_created()
    return stack


@then("its Secret holds credentials that emulated AWS knows")
def secret_credentials_known(prerequisites: PrerequisitesStack, service_objects: ServiceObjects, binding_status: OperationStatus) -> None:
    stored = service_objects.secret_data(binding_status.name)
    assert stored, f"no Secret {binding_status.name} (or an empty one) in {service_objects.namespace}"
    try:
        check_credentials(prerequisites.aws, stored)  # the key's user, the queue, topic, bucket, key it names
    except OperationFailed as exc:
        raise AssertionError(f"the Secret {binding_status.name}: {exc}") from None


@then("the binding's Secret is gone")
def binding_secret_gone(service_objects: ServiceObjects, binding_status: OperationStatus) -> None:
    assert binding_status.name not in service_objects.names_of(names.SERVICE_BINDINGS)
    assert service_objects.secret_data(binding_status.name) is None, f"the Secret {binding_status.name} is still there"


@then("no ServiceInstance or ServiceBinding is left, and emulated AWS deleted the instance's stack")
def instance_stack_deleted(service_objects: ServiceObjects, instance_stack: StackResources, suite_options) -> None:
    assert not service_objects.leftovers(), f"left in {service_objects.namespace}: {service_objects.leftovers()}"
    instance_stack.wait_deleted(suite_options.ready_timeout)


@dataclass(frozen=True)
class RefusedProvision:
    stack: StackResources
    reason: str  # "<resource> <CloudFormation's reason>", as the broker passes it on (its getCfnError)


@then(parsers.parse('kf create-service says the provision failed, with CloudFormation\'s reason: the resource "{resource}" of the stack of "{instance}", an "{service}" instance'),
      target_fixture="refused_provision")
def kf_create_says_cloudformation(prerequisites: PrerequisitesStack, toolchain, service_objects: ServiceObjects, kf_create_failure: str, resource: str, instance: str, service: str) -> RefusedProvision:
    """The reason is moto's own, read from the stack's failed event; the broker answers a platform that
    says it is Kubernetes with HTTP 400 CloudFormationError and "<resource> <reason>" (pkg/broker)."""
    status = OperationStatus.from_object(service_objects.read(names.SERVICE_INSTANCES, instance))
    stack = StackResources.of_instance(prerequisites.aws, toolchain.source_tree(NAME), service, status.external_id)
    reason = stack.broker_reason(resource)
    assert "provision failed" in kf_create_failure and reason in kf_create_failure, (
        f"CloudFormation's reason {reason!r} not in kf create-service's output: {kf_create_failure[-600:]}"
    )
    return RefusedProvision(stack, reason)


@then(parsers.parse('the ServiceInstance "{instance}" says so too, and Service Catalog deprovisioned it to mitigate an orphan'))
def instance_says_cloudformation(kube_api: client.ApiClient, service_objects: ServiceObjects, refused_provision: RefusedProvision, suite_options, instance: str) -> None:
    polled = wait_for_event(kube_api, "ServiceInstance", instance, "ErrorPollingLastOperation", suite_options.ready_timeout, service_objects.namespace)
    assert refused_provision.reason in (polled.message or ""), f"the event does not carry CloudFormation's reason {refused_provision.reason!r}: {polled.message}"
    wait_for_event(kube_api, "ServiceInstance", instance, "OrphanMitigationSuccessful", suite_options.ready_timeout, service_objects.namespace)
    status = OperationStatus.from_object(service_objects.read(names.SERVICE_INSTANCES, instance))
    assert not status.is_ready_for(names.REASON_PROVISIONED), status.describe()


@then("emulated AWS deleted the instance's stack")
def refused_stack_deleted(refused_provision: RefusedProvision, suite_options) -> None:
    refused_provision.stack.wait_deleted(suite_options.ready_timeout)

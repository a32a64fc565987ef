"""Steps of the developer's journey on Kf 2.11 (features/kf2.feature): its own kf.dev
service instances and bindings, provisioned by Kf's controller through the broker
that `kf create-service-broker` registered, checked against emulated AWS."""
from __future__ import annotations

import subprocess
from typing import Iterator

import pytest
from kubernetes import client
from pytest_bdd import given, parsers, then, when

from fixtures.actors.aws.prerequisites import PrerequisitesStack
from fixtures.actors.aws.qualification import OperationFailed, StackResources, check_credentials
from fixtures.actors.brokers.aws import NAME
from fixtures.actors.kf2.cli import Kf2Cli
from fixtures.actors.kf2.services import BINDINGS, INSTANCES, Kf2Space, KfObjectStatus
from fixtures.core.waiting import Observation, wait_for
from steps.kf2_steps import Kf2Registration


@pytest.fixture
def kf2_space(kube_api: client.ApiClient, namespace: str, suite_options, keeper) -> Iterator[Kf2Space]:
    """The scenario's namespace as a Kf Space; what the scenario left of Kf's objects is deleted first."""
    space = Kf2Space(kube_api, namespace, suite_options.ready_timeout)
    yield space
    if not keeper.keeping:
        for plural in (BINDINGS, INSTANCES):  # Kf's finalizers: unbind, deprovision (its controller still runs)
            for name in space.names(plural):
                space.remove(plural, name)
        space.delete()


@given("the scenario's namespace is a Kf Space")
def namespace_is_space(kf2_space: Kf2Space) -> None:
    kf2_space.create()


def _succeeded(result: subprocess.CompletedProcess[str], what: str) -> None:
    said = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, f"{what} exited {result.returncode}: {said[-600:]}"


@when(parsers.parse("I run Kf 2.11's kf create-service \"{service}\" \"{plan}\" \"{instance}\" with the parameters '{parameters}'"))
def kf2_create_service(kf2_cli: Kf2Cli, kf2_space: Kf2Space, kf2_registration: Kf2Registration, suite_options, service: str, plan: str, instance: str, parameters: str) -> None:
    result = kf2_cli.create_service(kf2_space.namespace, service, plan, instance, kf2_registration.broker.name, parameters, timeout=suite_options.ready_timeout)
    _succeeded(result, "kf create-service")


@then(parsers.parse('Kf\'s ServiceInstance "{instance}" is Ready, and kf services lists it so'), target_fixture="kf2_instance")
def kf2_instance_ready(kf2_cli: Kf2Cli, kf2_space: Kf2Space, instance: str) -> KfObjectStatus:
    status = kf2_space.wait_ready(INSTANCES, instance)
    rows = {row.get("NAME", ""): row for row in kf2_cli.services(kf2_space.namespace)}
    assert rows.get(instance, {}).get("READY") == "True", f"kf services: {rows.get(instance) or f'no {instance} among {sorted(rows)}'}"
    return status


@then(parsers.parse('emulated AWS holds the stack of Kf\'s instance "{instance}" of "{service}", created'), target_fixture="instance_stack")
def kf2_instance_stack(prerequisites: PrerequisitesStack, toolchain, kf2_instance: KfObjectStatus, service: str) -> StackResources:
    """Kf's OSB instance id is its ServiceInstance's uid (resources.MakeOSBProvisionRequest)."""
    stack = StackResources.of_instance(prerequisites.aws, toolchain.source_tree(NAME), service, kf2_instance.uid)
    stack.check_created()
    return stack


@when(parsers.parse('"{instance}" is bound to the App "{app}" as kf bind-service binds it'), target_fixture="kf2_binding_name")
def kf2_bind(kf2_space: Kf2Space, instance: str, app: str) -> str:
    return kf2_space.bind_as_kf_bind_service(app, instance)


@then("Kf's ServiceInstanceBinding is Ready, and its Secret holds credentials that emulated AWS knows", target_fixture="kf2_binding")
def kf2_binding_ready(prerequisites: PrerequisitesStack, kf2_space: Kf2Space, kf2_binding_name: str) -> KfObjectStatus:
    binding = kf2_space.wait_ready(BINDINGS, kf2_binding_name)
    secret, credentials = kf2_space.credentials(binding)
    assert credentials, f"Kf's credentials Secret {secret} is empty"
    try:
        check_credentials(prerequisites.aws, credentials)
    except OperationFailed as exc:
        raise AssertionError(f"the Secret {secret}: {exc}") from None
    return binding


@when(parsers.parse('I run Kf 2.11\'s kf unbind-service "{app}" "{instance}"'))
def kf2_unbind(kf2_cli: Kf2Cli, kf2_space: Kf2Space, suite_options, app: str, instance: str) -> None:
    _succeeded(kf2_cli.unbind_service(kf2_space.namespace, app, instance, timeout=suite_options.ready_timeout), "kf unbind-service")


@then("Kf's binding is gone, and its credentials Secret with it")
def kf2_unbound(cluster, kf2_space: Kf2Space, kf2_binding: KfObjectStatus, suite_options) -> None:
    assert kf2_binding.name not in kf2_space.names(BINDINGS), f"kf unbind-service returned, yet {kf2_binding.name} is still there"
    secret = (kf2_binding.raw.get("credentialsSecretRef") or {}).get("name", "")
    if not cluster.collects_garbage:
        # Kf leaves the Secret to Kubernetes' garbage collector (it is owned by the binding), which a
        # cluster without a controller manager (embedded) does not run: owned by the binding alone, then.
        owners = kf2_space.secret_owners(secret)
        assert owners is None or owners == [kf2_binding.uid], f"Secret {secret}: owners {owners}, not the binding {kf2_binding.uid} alone"
        return

    def observe() -> Observation[None]:
        owners = kf2_space.secret_owners(secret)
        return Observation(owners is None, None, f"Secret {secret}: " + ("gone" if owners is None else f"still there, owned by {owners}"))

    wait_for(f"the credentials Secret {secret} to be collected", observe, suite_options.ready_timeout, interval=0.5)


@when(parsers.parse('I run Kf 2.11\'s kf delete-service "{instance}"'))
def kf2_delete(kf2_cli: Kf2Cli, kf2_space: Kf2Space, suite_options, instance: str) -> None:
    _succeeded(kf2_cli.delete_service(kf2_space.namespace, instance, timeout=suite_options.ready_timeout), "kf delete-service")


@then(parsers.parse('Kf\'s ServiceInstance "{instance}" is gone, and emulated AWS deleted its stack'))
def kf2_deleted(kf2_space: Kf2Space, instance_stack: StackResources, suite_options, instance: str) -> None:
    kf2_space.wait_gone(INSTANCES, instance)  # Kf removes its finalizer once the broker says the deprovision is done
    instance_stack.wait_deleted(suite_options.ready_timeout)

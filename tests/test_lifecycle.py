"""The one provider contract: start() hands back what the provider offers; a
start that fails half-way, for any reason, is undone before the error goes on."""
from __future__ import annotations

import pytest

from fixtures.core.lifecycle import Provider


class Recorder(Provider[str]):
    def __init__(self, fail_with: BaseException | None = None):
        self.fail_with, self.events = fail_with, []

    def _start(self) -> str:
        self.events.append("made half")
        if self.fail_with is not None:
            raise self.fail_with
        self.events.append("made all")
        return "access"

    def stop(self) -> None:
        self.events.append("stopped")


def test_the_context_manager_hands_back_what_start_offers_and_stops_once():
    provider = Recorder()
    with provider as access:
        assert access == "access"
        assert provider.events == ["made half", "made all"]
    assert provider.events == ["made half", "made all", "stopped"]


@pytest.mark.parametrize("failure", [RuntimeError("boom"), KeyboardInterrupt(), SystemExit(2)])
def test_a_start_that_fails_half_way_is_undone_whatever_the_failure(failure):
    provider = Recorder(fail_with=failure)
    with pytest.raises(type(failure)):
        provider.start()
    assert provider.events == ["made half", "stopped"]


def test_every_provider_of_the_suite_has_the_contract():
    """mypy checks the shape; this lists which classes are providers, so a new one is noticed."""
    from fixtures.actors.aws.backends import MotoServer, RealAws
    from fixtures.actors.aws.broker_chart import InstalledChart
    from fixtures.actors.aws.prerequisites import PrerequisitesStack
    from fixtures.actors.brokers.external import ExternalBroker
    from fixtures.actors.brokers.mock import MockBroker
    from fixtures.platform.catalog.install import InstalledServiceCatalog, ServiceCatalog
    from fixtures.platform.catalog.pods import PodServiceCatalog
    from fixtures.platform.cluster import EmbeddedCluster, ExistingCluster, KindCluster
    from fixtures.platform.kind.containers import ContainerProcess
    from fixtures.platform.kind.docker import DockerDaemon
    from fixtures.core.processes import ManagedProcess

    providers = [
        MotoServer, RealAws, InstalledChart, PrerequisitesStack, ExternalBroker, MockBroker, InstalledServiceCatalog, ServiceCatalog,
        PodServiceCatalog, EmbeddedCluster, ExistingCluster, KindCluster, ContainerProcess, DockerDaemon, ManagedProcess,
    ]
    for provider in providers:
        assert issubclass(provider, Provider), provider
        assert provider.__enter__ is Provider.__enter__ and provider.__exit__ is Provider.__exit__, f"{provider.__name__} writes its own context manager"


def test_a_started_provider_is_a_witness_until_the_next_reset_even_when_its_start_fails():
    from fixtures.core.lifecycle import FailureParts, Provider, reset_witnesses, witness, witnesses_since_reset

    class Talking(Provider["Talking"]):
        def __init__(self, fail: bool):
            self.fail = fail

        def _start(self) -> "Talking":
            if self.fail:
                raise RuntimeError("half-made")
            return self

        def stop(self) -> None:
            pass

        def failure_parts(self) -> FailureParts:
            return {"said.txt": lambda: "what I saw\n"}

    reset_witnesses()
    ok, broken, elsewhere = Talking(False), Talking(True), Talking(False)
    ok.start()
    try:
        broken.start()
    except RuntimeError:
        pass
    witness(elsewhere)
    witness(elsewhere)  # once only
    assert witnesses_since_reset() == [ok, broken, elsewhere]
    assert ok.failure_parts()["said.txt"]() == "what I saw\n"
    reset_witnesses()
    assert witnesses_since_reset() == []

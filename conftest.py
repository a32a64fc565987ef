"""The suite's options and fixture wiring; the machinery lives in fixtures/."""
from __future__ import annotations

import os
import time
import uuid
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Iterator, TypeVar

import pytest
from kubernetes import client

from fixtures.actors.brokers.aws import unavailable_reason
from fixtures.actors.brokers.external import ExternalBroker, ExternalBrokerChoice, parse_external_broker
from fixtures.core.bdd import example_of, is_scenario
from fixtures.core.commands import Cli
from fixtures.platform.cluster import ClusterAccess
from fixtures.platform.cluster.leftovers import keep_namespace, scenario_namespace
from fixtures.reporting.keep import Keeper
from fixtures.reporting.run_folder import RunFolder, record_start, record_versions
from fixtures.platform.catalog.install import InstalledServiceCatalog
from fixtures.core.lifecycle import Given, Provider
from fixtures.core.parallel import ScenarioTurns, actionable, hand_interrupt_to_workers, one_per_run, shared_folder, xdist_worker
from fixtures.profiles import ClusterProvider, Placement, PlacementFor, Profile, ProfileSettings, ServiceCatalogAccess, profile_for
from fixtures.plugin.scheduling import ControlPlaneScheduling, last_run_weights
from fixtures.plugin.session_keys import KEEPER, OPTIONS, PROFILE, RUN
from fixtures.core import control_planes, interrupts, netns, processes
from fixtures.core.errors import SuiteError
from fixtures.core.kube import api_client
from fixtures.actors.marketplace.readers import KfReader, MarketplaceReader, ServiceCatalogApiReader, SvcatReader
from fixtures.profiles.suite import Suite
from fixtures.profiles.options import (
    VERSION_OPTIONS, SuiteOptions, parse_aws, parse_broker, parse_cluster, parse_marketplace_reader, parse_osb_version, parse_seconds, parse_versions,
    version_option_help,
)
from fixtures.core.terminal import progress_line
from fixtures.platform.toolchain import BIN_DIR_ENV, Toolchain
from fixtures.platform.toolchain.sources import SOURCES_ENV, sources_dir_from
from fixtures.core.turn_names import CLASS_NAMES, EXTERNAL_BROKER, PAGE_NAMES, SHARED, WHOLE
from fixtures.core.turn_names import ORDER as TURN_ORDER

T = TypeVar("T")

pytest_plugins = [
    "steps.cluster_steps",
    "steps.broker_steps",
    "steps.registration_steps",
    "steps.kf2_steps",  # Kf 2.11: its own options, fixtures and steps
    "steps.kf2_journey_steps",  # Kf 2.11's own instances and bindings
    "steps.offering_steps",
    "steps.aws_steps",
    "steps.aws_broker_steps",  # the real AWS Service Broker
    "steps.method1_steps",
    "steps.chart_steps",
    "steps.journey_steps",
    "fixtures.plugin.diagnostics",  # failure bundles, evidence, drift, keep-on-failure, preflight
    "fixtures.plugin.readable_reports",  # scenario names in report.html and JUnit, components, reports/index.html, --allure
    "fixtures.plugin.collection",  # `pytest features/NAME.feature` runs that file
]



def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("aws-servicebroker conformance")
    group.addoption("--cluster", default="embedded", help="embedded (default) | kind | kubeconfig=PATH")
    group.addoption("--bin-dir", default=None, help=f"use the binaries in this folder before building any (env {BIN_DIR_ENV})")
    group.addoption("--sources", default=None, help=f"a folder of upstream source trees the Go module proxy refuses, e.g. ../shared/sources (env {SOURCES_ENV})")
    group.addoption("--reports-dir", default="reports", help="where each run's folder is written (default: reports)")
    group.addoption("--start-timeout", default="90", help="seconds for a component (etcd, apiserver, catalog) to become ready (default 90)")
    group.addoption("--ready-timeout", default="60", help="seconds for a broker to reach the state a step expects (default 60)")
    group.addoption("--aws", default="moto", help="moto (default: emulated, on loopback) | real (needs --aws-real-opt-in and --aws-region)")
    group.addoption("--aws-region", default=None, help="region for --aws=real (and moto's, default us-east-1)")
    group.addoption("--aws-real-opt-in", action="store_true", help="confirm that --aws=real may create (and will delete) real AWS resources")
    group.addoption("--preflight", action="store_true", help="check what the chosen profile needs, report every gap with its fix, and stop")
    group.addoption("--keep-cluster", action="store_true", help="kind: leave the cluster (and a Docker daemon the run started) running afterwards; the delete command is printed")
    group.addoption("--kind-node-image", default=None, help="kind: use this node image (e.g. kindest/node:v1.21.1@sha256:..., needs a registry) instead of building one")
    group.addoption("--service-catalog-image", default=None, help="kind: use this Service Catalog image (e.g. quay.io/kubernetes-service-catalog/service-catalog:v0.3.1) instead of building one")
    group.addoption("--keep-on-failure", action="store_true", help="keep the first failing scenario's cluster, processes and broker running, print how to reach them, and stop")
    group.addoption("--image-registry", default=None, help="kubeconfig=PATH on a cluster that is not kind: push the suite's broker image here (the cluster must pull from it)")
    group.addoption("--aws-broker-chart", default="module", help="Method 1's chart: module (the broker's Go module, default) | repo (the page's repository on S3: contacts AWS) | PATH (a local chart)")
    group.addoption("--aws-broker-image", default=None, help="Method 1: the broker image to --set image= (loaded into kind if it exists locally)")
    group.addoption("--broker-url", default=None, help="qualify a broker the suite did not start: its base URL (credentials from --broker-credentials or the environment)")
    group.addoption("--broker-credentials", default=None, help="--broker-url: a YAML file with username and password, or token (else ASB_BROKER_USERNAME/ASB_BROKER_PASSWORD or ASB_BROKER_TOKEN)")
    group.addoption("--broker-ca", default=None, help="--broker-url: the PEM CA its certificate is verified with (and handed to the cluster as caBundle)")
    group.addoption("--broker-insecure", action="store_true", help="--broker-url: do not verify its certificate (reported as a finding)")
    group.addoption("--broker", default="aws", help="the @aws_broker scenarios: aws (the real AWS Service Broker, built from its source; default) | mock (skip them: the mock broker's scenarios only)")
    group.addoption("--control-planes", default="auto", help="embedded, under -n: how many control planes (each with its own Service Catalog, in a network namespace of its own; root) the workers share out; auto (default) decides from cores and memory and prints it")
    group.addoption("--schedule", default="load", choices=("load", "by-time"), help="with several control planes: load (xdist's own, default) | by-time (each scenario to a control plane by the last run's times)")
    group.addoption("--mock-broker-osb-version", default="2.13", help="the OSB API version every mock broker requires (X-Broker-API-Version at least; default 2.13; Service Catalog v0.3.1 sends 2.14, v0.3.0 2.13)")
    group.addoption("--marketplace-reader", default="kf", help="what reads the marketplace: kf (Kf v0.2.0 CLI, default) | svcat | api")
    for option, axis in VERSION_OPTIONS:  # --kubernetes-version, --service-catalog-version, --helm-version
        group.addoption(option, default=None, help=version_option_help(axis))


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    try:
        options = SuiteOptions(
            cluster=parse_cluster(config.getoption("--cluster")),
            bin_dir=Path(config.getoption("--bin-dir")).resolve() if config.getoption("--bin-dir") else None,
            reports_dir=Path(config.getoption("--reports-dir")).resolve(),
            start_timeout=parse_seconds("--start-timeout", config.getoption("--start-timeout")),
            ready_timeout=parse_seconds("--ready-timeout", config.getoption("--ready-timeout")),
            marketplace_reader=parse_marketplace_reader(config.getoption("--marketplace-reader")),
            aws=parse_aws(config.getoption("--aws"), config.getoption("--aws-region"), config.getoption("--aws-real-opt-in")),
            external_broker=_external_broker_choice(config),
            broker=parse_broker(config.getoption("--broker")),
            versions=parse_versions({option: config.getoption(option) for option, _ in VERSION_OPTIONS}, parse_cluster(config.getoption("--cluster"))),
            mock_broker_osb_version=parse_osb_version(config.getoption("--mock-broker-osb-version")),
        )
        asked_control_planes = control_planes.parse_control_planes(config.getoption("--control-planes"))
    except SuiteError as exc:
        raise pytest.UsageError(str(exc)) from None
    if options.bin_dir is not None and not options.bin_dir.is_dir():
        raise pytest.UsageError(f"--bin-dir={options.bin_dir}: no such folder")
    config.stash[OPTIONS] = options
    config.stash[PROFILE] = profile_for(options.cluster)
    # Under pytest-xdist the controller makes the run folder; its workers write into it.
    workerinput = getattr(config, "workerinput", None)
    if workerinput:
        _take_seat(config, control_planes.Seat.from_input(workerinput[SEAT_INPUT]))
    else:
        _plan_control_planes(config, options, asked_control_planes)
    run = RunFolder(Path(workerinput[RUN_FOLDER_INPUT])) if workerinput else RunFolder.create(options.reports_dir)
    config.stash[RUN] = run
    if not workerinput:
        run.write_text("control-planes.txt", "\n".join(config.stash[control_planes.PLAN].said or ["1 control plane"]) + "\n")
    config.stash[KEEPER] = Keeper(enabled=config.getoption("--keep-on-failure"))
    processes.die_with_parent = not (config.getoption("--keep-on-failure") or config.getoption("--keep-cluster"))
    # Reports land in the run folder unless the user named their own paths.
    if not config.option.xmlpath:
        config.option.xmlpath = str(run.path / "junit.xml")
    if not config.option.cucumber_json_path:
        config.option.cucumber_json_path = str(run.path / "cucumber.json")
    if not config.option.htmlpath:
        config.option.htmlpath = str(run.path / "report.html")
        config.option.self_contained_html = True


RUN_FOLDER_INPUT = "asb_conformance_run_folder"
SEAT_INPUT = "asb_conformance_control_plane"
NETWORKS = pytest.StashKey[control_planes.ControlPlaneNetworks]()


def _plan_control_planes(config: pytest.Config, options: SuiteOptions, asked: int | None) -> None:
    """The run's first process decides how many control planes and makes their networks."""
    workers = len(config.getoption("tx") or []) if config.getoption("dist", "no") != "no" else 0
    one_cluster = (
        f"--cluster={options.cluster} runs one cluster" if options.cluster.kind != "embedded"
        else "--aws=real: a control plane in a network namespace reaches only this machine" if options.aws.kind == "real"
        else "--broker-url: a control plane in a network namespace reaches only this machine" if options.external_broker is not None
        else None
    )
    plan = control_planes.plan(asked, workers, one_cluster, control_planes.Machine.here())
    config.stash[control_planes.PLAN] = plan
    config.stash[control_planes.SEAT] = control_planes.FIRST
    if plan.count > 1:
        networks = control_planes.ControlPlaneNetworks(plan.count)
        config.add_cleanup(networks.stop)
        try:
            networks.start()
        except SuiteError as exc:
            networks.stop()
            raise pytest.UsageError(f"--control-planes {plan.count}: {exc}") from None
        config.stash[NETWORKS] = networks


def _take_seat(config: pytest.Config, seat: control_planes.Seat) -> None:
    """A worker joins its control plane's network before it starts anything."""
    if seat.netns is not None:
        netns.enter(seat.netns)
    config.stash[control_planes.SEAT] = seat


# Scenarios that use something a cluster has only one of take turns across
# xdist workers: tag -> the turns they take for the whole scenario (steps take
# theirs with scenario_turns). What each turn guards: fixtures/core/turn_names.py.
TURNS: dict[str, tuple[tuple[str, bool], ...]] = {
    "method1": ((PAGE_NAMES, WHOLE), (CLASS_NAMES, SHARED)),
    "chart": ((PAGE_NAMES, WHOLE), (CLASS_NAMES, SHARED)),
    "journey": ((CLASS_NAMES, WHOLE),),
}


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """xdist's controller hands each worker the run folder it made."""
    node.workerinput[RUN_FOLDER_INPUT] = str(node.config.stash[RUN].path)
    networks = node.config.stash.get(NETWORKS, None)
    seat = networks.seat_of(node.gateway.id) if networks else control_planes.FIRST
    node.workerinput[SEAT_INPUT] = seat.to_input()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """--schedule=by-time with several control planes: scenarios shared out over them by the last
    run's times (fixtures/plugin/scheduling.py). By default xdist's own load scheduling, which
    measured faster here (docs/parallel.md)."""
    plan = config.stash.get(control_planes.PLAN, None)
    if config.getoption("--schedule") != "by-time" or plan is None or plan.count < 2 or config.getoption("dist") != "load":
        return None
    weights = last_run_weights(config.stash[OPTIONS].reports_dir, config.stash[RUN].path)
    return ControlPlaneScheduling(config, log, plan.count, weights)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: scenarios mostly wait on Service Catalog's controller and the
    brokers, not on this machine's cores; measured best at 3 workers per control
    plane (bench/parallel.py), 6 on one cluster. On the embedded profile, 3 for each
    control plane the machine carries: one more than its cores, within its memory
    (fixtures/core/control_planes.py).
    ASB_CONFORMANCE_WORKERS overrides."""
    if "ASB_CONFORMANCE_WORKERS" in os.environ:
        return int(os.environ["ASB_CONFORMANCE_WORKERS"])
    if config.getoption("--cluster") != "embedded":
        return 6
    return control_planes.auto_workers(control_planes.Machine.here())


def _external_broker_choice(config: pytest.Config) -> ExternalBrokerChoice | None:
    url = config.getoption("--broker-url")
    if url is None:
        for option in ("--broker-credentials", "--broker-ca"):
            if config.getoption(option):
                raise SuiteError(f"{option} belongs to --broker-url: give the broker's URL too")
        return None
    return parse_external_broker(url, config.getoption("--broker-credentials"), config.getoption("--broker-ca"), config.getoption("--broker-insecure"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Decided at collection, before any cluster boots: what this run cannot do is skipped with its reason.
    Under xdist the Kf 2.11 scenarios go first: Kf's own retry schedule makes
    two of them about 155 s long, and they need nothing of Service Catalog's
    busy controller, so they run beside the rest instead of after it."""
    # The one place the order is decided (stable: the same in every worker). One at a time,
    # @kf2 goes last: once Kf's CRDs exist a bare `kubectl get ClusterServiceBroker` is
    # ambiguous (kf.dev has one too), and the page's literal checks come first.
    kf2_first = xdist_worker(config) is not None
    items.sort(key=lambda item: 0 if (item.get_closest_marker("kf2") is not None) == kf2_first else 1)
    options, profile = config.stash[OPTIONS], config.stash[PROFILE]
    for item in items:
        if item.get_closest_marker("needs_pods") and not profile.runs_pods:
            item.add_marker(pytest.mark.skip(reason=f"needs a cluster whose pods run; --cluster={options.cluster} runs none: use --cluster=kind or kubeconfig=PATH"))
        if item.get_closest_marker("restarts_broker") and profile.brokers_in_pods:
            item.add_marker(pytest.mark.skip(reason=(
                f"restarts the broker at the same address; on --cluster={options.cluster} brokers run as pods, and a restarted pod is a new "
                "address that the cluster's DNS keeps answering with the old one for its cache time, so one relist cannot show the new certificate"
            )))
        if item.get_closest_marker("aws_broker_provision") and (reason := _lambda_skip(config, options)):
            item.add_marker(pytest.mark.skip(reason=reason))
        if item.get_closest_marker("aws_broker") and (reason := _real_broker_skip(config, options, profile)):
            item.add_marker(pytest.mark.skip(reason=reason))
        if options.external_broker is not None and item.get_closest_marker("any_broker") is None and is_scenario(item):
            item.add_marker(pytest.mark.skip(reason=f"needs the suite's own mock broker (scripted faults or catalogs); --broker-url={options.external_broker.url} qualifies a broker as it is"))


def _real_broker_skip(config: pytest.Config, options: SuiteOptions, profile: Profile) -> str | None:
    """Why the real AWS broker's scenarios cannot run in this run (asked once), or
    None. Where brokers run in containers or pods, its image is built from the binary."""
    if REAL_BROKER_SKIP not in config.stash:
        if options.broker == "mock":
            reason: str | None = "--broker=mock: the scenarios about the real AWS Service Broker are left out of this run"
        else:
            reason = unavailable_reason(Toolchain(
                user_bin_dir=options.bin_dir, profiles=profile.toolchain_profiles, sources_dir=sources_dir_from(config.getoption("--sources")), variants=options.versions,
            ))
        config.stash[REAL_BROKER_SKIP] = reason
    return config.stash[REAL_BROKER_SKIP]


REAL_BROKER_SKIP = pytest.StashKey[str | None]()
LAMBDA_SKIP = pytest.StashKey[str | None]()


def _lambda_skip(config: pytest.Config, options: SuiteOptions) -> str | None:
    """Why the real broker's provisions (upstream's templates, whose custom resources moto runs
    as Lambda functions in Docker containers) cannot run in this run, or None (asked once)."""
    if LAMBDA_SKIP not in config.stash:
        from fixtures.platform.kind.docker import daemon_answers

        reason: str | None = None
        if options.aws.kind == "real":
            reason = "provisions real AWS resources for every service: run make qualify-services' plans by hand against real AWS instead"
        elif options.cluster.kind not in ("embedded", "kind"):
            reason = (
                f"on --cluster={options.cluster} the broker runs in a pod, which cannot be assumed to reach this machine, where moto must run "
                "(it starts upstream's Lambda functions with this machine's Docker); the embedded and kind profiles run these, make qualify-services every plan"
            )
        elif options.cluster.kind == "embedded" and not daemon_answers():  # the kind profile starts its own daemon
            reason = "moto runs upstream's Lambda functions in Docker containers and no Docker daemon answers (make setup-kind installs Docker)"
        config.stash[LAMBDA_SKIP] = reason
    return config.stash[LAMBDA_SKIP]


def pytest_sessionstart(session: pytest.Session) -> None:
    """SIGTERM (CI cancelling a job) tears down as Ctrl-C does, and both land
    only where they cannot wedge the run (fixtures/core/interrupts.py); where the
    run's things outlive its processes (kind, an existing cluster), xdist's
    controller hands them to its workers first (fixtures/core/parallel.py). After
    every plugin's configure: pytest's own unraisable hook is the one wrapped."""
    config = session.config
    hand_on = xdist_worker(config) is None and config.stash[PROFILE].outlives_the_run
    config.add_cleanup(interrupts.install(hand_interrupt_to_workers(config) if hand_on else None))


def pytest_report_header(config: pytest.Config) -> list[str]:
    options, run = config.stash[OPTIONS], config.stash[RUN]
    said = config.stash[control_planes.PLAN].said if control_planes.PLAN in config.stash else []
    return [f"asb-conformance: cluster={options.cluster} reports={run.path}", *(f"asb-conformance: {line}" for line in said)]


@contextmanager
def timed_start(provider: Provider[T], run_folder: RunFolder, what: str) -> Iterator[T]:
    """Start, recording how long it took (timings.json's session_starts)."""
    started = time.monotonic()
    with provider as value:
        record_start(run_folder, what, time.monotonic() - started)
        yield value


@pytest.fixture(scope="session")
def keeper(pytestconfig: pytest.Config) -> Keeper:
    return pytestconfig.stash[KEEPER]


@pytest.fixture(scope="session")
def suite_options(pytestconfig: pytest.Config) -> SuiteOptions:
    return pytestconfig.stash[OPTIONS]


@pytest.fixture(scope="session")
def run_folder(pytestconfig: pytest.Config) -> RunFolder:
    return pytestconfig.stash[RUN]


@pytest.fixture(scope="session")
def profile(pytestconfig: pytest.Config) -> Profile:
    """The cluster kind's profile: the one place that decides what differs (fixtures/profiles)."""
    return pytestconfig.stash[PROFILE]


@pytest.fixture(scope="session")
def suite(pytestconfig: pytest.Config, suite_options: SuiteOptions, profile: Profile, run_folder: RunFolder) -> Suite:
    """The composition root (fixtures/profiles/suite.py): the session's things are all made through it.
    Its toolchain is built first (the binaries the profile needs), and listed in versions.json."""
    show = progress_line(pytestconfig)
    with actionable(pytestconfig):
        sources = sources_dir_from(pytestconfig.getoption("--sources"))
        tools = Toolchain(user_bin_dir=suite_options.bin_dir, profiles=profile.toolchain_profiles, sources_dir=sources, variants=suite_options.versions)
        # What is missing is built in this machine's own network (a build may download).
        netns.in_network(pytestconfig.stash[control_planes.SEAT].host_network, lambda: tools.ensure(progress=lambda line: show(f"[toolchain] {line}")))
        record_versions(run_folder, tools.versions(), {"cluster": str(suite_options.cluster), "bin_dir": str(suite_options.bin_dir or ""), "sources": str(sources or "")})
    upstream = {"node": pytestconfig.getoption("--kind-node-image"), "service_catalog": pytestconfig.getoption("--service-catalog-image")}
    seat = pytestconfig.stash[control_planes.SEAT]
    log_dir = seat.logs(run_folder.logs)  # two etcds, two etcd.log
    log_dir.mkdir(parents=True, exist_ok=True)
    return Suite(
        profile, tools, log_dir, suite_options.start_timeout, progress=lambda line: show(f"[{suite_options.cluster.kind}] {line}"),
        keep_cluster=pytestconfig.getoption("--keep-cluster"), upstream_images={k: v for k, v in upstream.items() if v},
        image_registry=pytestconfig.getoption("--image-registry"),
    )


@pytest.fixture(scope="session")
def toolchain(suite: Suite) -> Toolchain:
    return suite.toolchain


@pytest.fixture(scope="session")
def profile_settings(suite: Suite) -> ProfileSettings:
    return suite.settings


@pytest.fixture(scope="session")
def cluster(request: pytest.FixtureRequest, suite: Suite, run_folder: RunFolder) -> Iterator[ClusterAccess]:
    """One per run: under xdist the first worker that needs it makes it, the others attach (fixtures/core/parallel.py)."""
    made: list[ClusterProvider] = []  # this process's provider, if it is the one that made the cluster

    def make() -> AbstractContextManager[ClusterAccess]:
        made.append(suite.cluster())
        return timed_start(made[0], run_folder, "cluster")

    with actionable(request.config):
        attach = lambda description: Given(ClusterAccess.from_description(description))  # noqa: E731
        with one_per_run(request, "cluster", suite.start_timeout, make, ClusterAccess.to_description, attach) as access:
            yield from _cluster_made(request, suite.profile, made[0] if made else None, access, run_folder)


def _cluster_made(request: pytest.FixtureRequest, profile: Profile, maker: ClusterProvider | None, access: ClusterAccess, run_folder: RunFolder) -> Iterator[ClusterAccess]:
    run_folder.write_text("cluster.txt", access.description + "\n")
    if access.images is not None:
        run_folder.write_json("images.json", access.images.record())
    yield access
    if request.session.testsfailed and maker is not None:
        profile.session_failed(maker)


@pytest.fixture(autouse=True)
def _turn(request: pytest.FixtureRequest, scenario_turns: ScenarioTurns) -> None:
    """Under xdist, a scenario tagged in TURNS waits for its turns (in TURN_ORDER:
    no two wait on each other), held with its steps' turns until its teardown."""
    turns = {name: shared for tag, taken in TURNS.items() if request.node.get_closest_marker(tag) for name, shared in taken}
    if request.config.stash[OPTIONS].external_broker is not None and request.node.get_closest_marker("any_broker"):
        turns[EXTERNAL_BROKER] = WHOLE
    for name in sorted(turns, key=TURN_ORDER.index):
        scenario_turns.take(name, shared=turns[name])


@pytest.fixture
def scenario_turns(request: pytest.FixtureRequest) -> Iterator[ScenarioTurns]:
    """Turns a scenario's steps take (e.g. a registration's class names), held
    until its teardown: the fixtures that use it (registrations, kf2_brokers)
    are torn down first, so a turn outlives what it guards."""
    with ExitStack() as held:
        yield ScenarioTurns(shared_folder(request), xdist_worker(request.config), request.node.name, held, TURN_TIMEOUT, TURN_ORDER)


TURN_TIMEOUT = 1800.0  # the others' scenarios in the same turn, one after the other


@pytest.fixture(scope="session")
def service_catalog(request: pytest.FixtureRequest, suite: Suite, cluster: ClusterAccess, run_folder: RunFolder) -> Iterator[ServiceCatalogAccess]:
    """embedded: the chart's objects applied, its servers as processes; kind: `helm install` of the chart, pods; kubeconfig: must be there already."""
    start = lambda: timed_start(suite.service_catalog(cluster), run_folder, "service-catalog")  # noqa: E731
    attach = lambda _: InstalledServiceCatalog(cluster, suite.toolchain, suite.log_dir)  # noqa: E731
    with actionable(request.config), one_per_run(request, "service-catalog", suite.start_timeout, start, lambda _: {}, attach) as catalog:
        yield catalog


@pytest.fixture(scope="session")
def placements(request: pytest.FixtureRequest, suite: Suite, cluster: ClusterAccess) -> Iterator[PlacementFor]:
    """Where this run's brokers and moto run so the cluster reaches them (the profile decides)."""
    with actionable(request.config), suite.placements(cluster) as placement_for:
        yield placement_for


@pytest.fixture
def broker_placement(placements: PlacementFor, namespace: str) -> Placement:
    """This scenario's: on an existing cluster, pods in its namespace."""
    return placements(namespace)


@pytest.fixture(scope="session")
def external_broker(request: pytest.FixtureRequest, suite_options: SuiteOptions, run_folder: RunFolder) -> Iterator[ExternalBroker | None]:
    """--broker-url: the broker someone else runs, checked once before any registration."""
    if suite_options.external_broker is None:
        yield None
        return
    broker = ExternalBroker(suite_options.external_broker)
    with actionable(request.config):
        broker.start()
    try:
        run_folder.append_findings(broker.findings)
        run_folder.write_text("external-broker.txt", f"url: {broker.url}\nauth: {broker.auth.kind}\nfindings before registration: {len(broker.findings)}\n")
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def kube_api(cluster: ClusterAccess) -> Iterator[client.ApiClient]:
    with api_client(cluster.kubeconfig) as api:
        yield api


@pytest.fixture(scope="session")
def svcat(suite: Suite, cluster: ClusterAccess) -> Cli:
    return suite.cli("svcat", cluster)


@pytest.fixture(scope="session")
def helm(suite: Suite, cluster: ClusterAccess) -> Cli:
    return suite.cli("helm", cluster)


@pytest.fixture(scope="session")
def kf(suite: Suite, cluster: ClusterAccess, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """The first-generation Kf CLI (v0.2.0). It keeps its target in ~/.kf: a HOME of its own."""
    return suite.cli("kf", cluster, env={"HOME": str(tmp_path_factory.mktemp("kf-home"))})


@pytest.fixture(scope="session")
def marketplace_reader(suite_options: SuiteOptions, svcat: Cli, kf: Cli, kube_api: client.ApiClient, run_folder: RunFolder) -> MarketplaceReader:
    """What lists the marketplace for the developer-facing checks; named in the report."""
    reader: MarketplaceReader
    if suite_options.marketplace_reader == "kf":
        reader = KfReader(kf, kube_api)
    elif suite_options.marketplace_reader == "svcat":
        reader = SvcatReader(svcat, kube_api)
    else:
        reader = ServiceCatalogApiReader(kube_api)
    run_folder.write_text("marketplace-reader.txt", f"{reader.name}\n")
    return reader


@pytest.fixture
def example(request: pytest.FixtureRequest) -> dict[str, str]:
    """The Outline example this scenario runs ({} for a plain scenario)."""
    return example_of(request.node)


@pytest.fixture
def scenario_id() -> str:
    """Short and unique: names every object a scenario creates."""
    return uuid.uuid4().hex[:6]


def _scenario_namespace(api: client.ApiClient, name: str, keeper: Keeper) -> Iterator[str]:
    core = client.CoreV1Api(api)
    core.create_namespace(scenario_namespace(name))
    yield name
    if keeper.keeping:
        keep_namespace(core, name)
    else:
        core.delete_namespace(name)


@pytest.fixture
def namespace(kube_api: client.ApiClient, scenario_id: str, keeper: Keeper) -> Iterator[str]:
    """One namespace per scenario, deleted afterwards."""
    yield from _scenario_namespace(kube_api, f"asb-{scenario_id}", keeper)


@pytest.fixture
def other_namespace(namespace: str, kube_api: client.ApiClient, keeper: Keeper) -> Iterator[str]:
    """A second namespace, for what must not be visible outside the first."""
    yield from _scenario_namespace(kube_api, f"{namespace}-other", keeper)

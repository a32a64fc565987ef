"""The suite's options and fixture wiring; the machinery lives in fixtures/."""
from __future__ import annotations

import signal
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
import pytest_html
import yaml
from kubernetes import client

from fixtures.aws.checks import diagnose, diagnosis_text
from fixtures.catalog.install import InstalledServiceCatalog, ServiceCatalog
from fixtures.commands import Cli
from fixtures.cluster import ClusterAccess, make_cluster
from fixtures.diagnostics.bundle import write_failure_bundle
from fixtures.diagnostics.drift import ScenarioResult, drift_markdown, drift_rows
from fixtures.diagnostics.evidence import evidence_record, write_evidence
from fixtures.diagnostics.keep import Keeper
from fixtures.diagnostics.preflight import preflight
from fixtures.diagnostics.preflight import report as preflight_report
from fixtures.diagnostics.run_folder import RunFolder, versions_record
from fixtures import processes
from fixtures.errors import SuiteError
from fixtures.kube import api_client
from fixtures.marketplace.readers import KfReader, MarketplaceReader, ServiceCatalogApiReader, SvcatReader
from fixtures.options import SuiteOptions, parse_aws, parse_cluster, parse_marketplace_reader, parse_seconds
from fixtures.toolchain import BIN_DIR_ENV, Toolchain
from steps.state import BROKER_VALUES

pytest_plugins = ["steps.cluster_steps", "steps.broker_steps", "steps.registration_steps", "steps.offering_steps", "steps.aws_steps"]

OPTIONS = pytest.StashKey[SuiteOptions]()
RUN = pytest.StashKey[RunFolder]()
BUNDLE = pytest.StashKey[Path]()
RESULTS = pytest.StashKey[dict[str, ScenarioResult]]()
DURATIONS = pytest.StashKey[dict[str, float]]()
STARTED = pytest.StashKey[float]()
FEATURE = pytest.StashKey[str]()
KEEPER = pytest.StashKey[Keeper]()
COMPONENT_LOGS = ("kube-apiserver.log", "etcd.log", "service-catalog-controller-manager.log", "service-catalog-webhook.log", "commands.log")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("aws-servicebroker conformance")
    group.addoption("--cluster", default="embedded", help="embedded (default) | kind | kubeconfig=PATH")
    group.addoption("--bin-dir", default=None, help=f"use the binaries in this folder before building any (env {BIN_DIR_ENV})")
    group.addoption("--reports-dir", default="reports", help="where each run's folder is written (default: reports)")
    group.addoption("--start-timeout", default="90", help="seconds for a component (etcd, apiserver, catalog) to become ready (default 90)")
    group.addoption("--ready-timeout", default="60", help="seconds for a broker to reach the state a step expects (default 60)")
    group.addoption("--aws", default="moto", help="moto (default: emulated, on loopback) | real (needs --aws-real-opt-in and --aws-region)")
    group.addoption("--aws-region", default=None, help="region for --aws=real (and moto's, default us-east-1)")
    group.addoption("--aws-real-opt-in", action="store_true", help="confirm that --aws=real may create (and will delete) real AWS resources")
    group.addoption("--preflight", action="store_true", help="check what the chosen profile needs, report every gap with its fix, and stop")
    group.addoption("--keep-on-failure", action="store_true", help="keep the first failing scenario's cluster, processes and broker running, print how to reach them, and stop")
    group.addoption("--marketplace-reader", default="kf", help="what reads the marketplace: kf (Kf v0.2.0 CLI, default) | svcat | api")


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
        )
    except SuiteError as exc:
        raise pytest.UsageError(str(exc)) from None
    if options.bin_dir is not None and not options.bin_dir.is_dir():
        raise pytest.UsageError(f"--bin-dir={options.bin_dir}: no such folder")
    config.stash[OPTIONS] = options
    run = RunFolder.create(options.reports_dir)
    config.stash[RUN] = run
    config.stash[RESULTS], config.stash[DURATIONS], config.stash[STARTED] = {}, {}, time.time()
    config.stash[KEEPER] = Keeper(enabled=config.getoption("--keep-on-failure"))
    processes.die_with_parent = not config.getoption("--keep-on-failure")
    # Reports land in the run folder unless the user named their own paths.
    if not config.option.xmlpath:
        config.option.xmlpath = str(run.path / "junit.xml")
    if not config.option.cucumber_json_path:
        config.option.cucumber_json_path = str(run.path / "cucumber.json")
    if not config.option.htmlpath:
        config.option.htmlpath = str(run.path / "report.html")
        config.option.self_contained_html = True
    # SIGTERM (CI cancelling a job) tears down like Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_sessionstart(session: pytest.Session) -> None:
    if session.config.getoption("--preflight"):
        options = session.config.stash[OPTIONS]
        gaps = preflight(options)
        session.config.get_terminal_writer().line(preflight_report(gaps, options))
        pytest.exit("preflight done", returncode=3 if gaps else 0)


def pytest_report_header(config: pytest.Config) -> str:
    options, run = config.stash[OPTIONS], config.stash[RUN]
    return f"asb-conformance: cluster={options.cluster} reports={run.path}"


@contextmanager
def actionable() -> Iterator[None]:
    """A SuiteError ends the run with its one line, not a traceback per test."""
    try:
        yield
    except SuiteError as exc:
        pytest.exit(f"error: {exc}", returncode=3)


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
def toolchain(suite_options: SuiteOptions, run_folder: RunFolder) -> Toolchain:
    with actionable():
        tools = Toolchain(user_bin_dir=suite_options.bin_dir)
        tools.ensure()
        run_folder.write_json(
            "versions.json",
            versions_record(tools.versions(), {"cluster": str(suite_options.cluster), "bin_dir": str(suite_options.bin_dir or "")}),
        )
        return tools


@pytest.fixture(scope="session")
def cluster(suite_options: SuiteOptions, toolchain: Toolchain, run_folder: RunFolder) -> Iterator[ClusterAccess]:
    with actionable():
        provider = make_cluster(suite_options.cluster, toolchain, run_folder.logs, suite_options.start_timeout)
        with provider as access:
            yield access


@pytest.fixture(scope="session")
def service_catalog(suite_options: SuiteOptions, cluster: ClusterAccess, toolchain: Toolchain, run_folder: RunFolder) -> Iterator[ServiceCatalog | InstalledServiceCatalog]:
    with actionable():
        kind = ServiceCatalog if suite_options.cluster.kind == "embedded" else InstalledServiceCatalog
        with kind(cluster, toolchain, run_folder.logs, suite_options.start_timeout) as catalog:
            yield catalog


@pytest.fixture(scope="session")
def kube_api(cluster: ClusterAccess) -> Iterator[client.ApiClient]:
    with api_client(cluster.kubeconfig) as api:
        yield api


@pytest.fixture(scope="session")
def svcat(cluster: ClusterAccess, toolchain: Toolchain, run_folder: RunFolder) -> Cli:
    return Cli("svcat", toolchain.path("svcat"), cluster.kubeconfig, run_folder.logs / "commands.log")


@pytest.fixture(scope="session")
def marketplace_reader(
    suite_options: SuiteOptions, svcat: Cli, cluster: ClusterAccess, toolchain: Toolchain, kube_api: client.ApiClient, run_folder: RunFolder, tmp_path_factory: pytest.TempPathFactory
) -> MarketplaceReader:
    """What lists the marketplace for the developer-facing checks; named in the report."""
    reader: MarketplaceReader
    if suite_options.marketplace_reader == "kf":
        # kf keeps its target in ~/.kf: give it a HOME of its own.
        kf = Cli("kf", toolchain.path("kf"), cluster.kubeconfig, run_folder.logs / "commands.log", env={"HOME": str(tmp_path_factory.mktemp("kf-home"))})
        reader = KfReader(kf)
    elif suite_options.marketplace_reader == "svcat":
        reader = SvcatReader(svcat)
    else:
        reader = ServiceCatalogApiReader(kube_api)
    run_folder.write_text("marketplace-reader.txt", f"{reader.name}\n")
    return reader


@pytest.fixture
def scenario_id() -> str:
    """Short and unique: names every object a scenario creates."""
    return uuid.uuid4().hex[:6]


@pytest.fixture
def namespace(kube_api: client.ApiClient, scenario_id: str, keeper: Keeper) -> Iterator[str]:
    """One namespace per scenario, deleted afterwards."""
    core = client.CoreV1Api(kube_api)
    name = f"asb-{scenario_id}"
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name, labels={"asb-conformance": "scenario"})))
    yield name
    if not keeper.keeping:
        core.delete_namespace(name)


@pytest.fixture
def other_namespace(namespace: str, kube_api: client.ApiClient) -> Iterator[str]:
    """A second namespace, for what must not be visible outside the first."""
    core = client.CoreV1Api(kube_api)
    name = f"{namespace}-other"
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name, labels={"asb-conformance": "scenario"})))
    yield name
    core.delete_namespace(name)


def _active(request: pytest.FixtureRequest, name: str):
    """A fixture's value if this scenario already uses it (never starts one)."""
    return request.getfixturevalue(name) if name in request.fixturenames else None


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature, scenario) -> None:
    request.node.stash[FEATURE] = Path(feature.filename).stem


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception) -> None:
    """Gather the failure bundle while the scenario's objects and processes still exist."""
    run: RunFolder = request.config.stash[RUN]
    extra = {}
    prerequisites, values = _active(request, "prerequisites"), request.node.stash.get(BROKER_VALUES, None)
    if values is not None:
        # The chart values the broker ran with; the secret key is masked by the redaction.
        extra["broker-values.yaml"] = yaml.safe_dump({"aws": dict(vars(values))}, sort_keys=False)
    if prerequisites is not None and values is not None:
        extra["diagnosis.txt"] = diagnosis_text(diagnose(prerequisites.aws, values)) + "\n"
    headline = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
    registrations = _active(request, "registrations") or []
    cluster = _active(request, "cluster")
    if request.config.stash[KEEPER].keep(request.node.name, cluster.kubeconfig if cluster else None, [r.name for r in registrations]):
        request.session.shouldstop = "--keep-on-failure: kept the first failing scenario"
    request.node.stash[BUNDLE] = write_failure_bundle(
        run,
        request.node.name,
        headline,
        f"{step.keyword} {step.name}",
        _active(request, "kube_api"),
        _active(request, "registrations"),
        _active(request, "namespace"),
        _active(request, "osb_broker"),
        [run.logs / name for name in COMPONENT_LOGS if (run.logs / name).exists()],
        extra,
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Point every report format at the failure bundle."""
    outcome = yield
    report = outcome.get_result()
    _record_result(item, report)
    bundle = item.stash.get(BUNDLE, None)
    if report.when == "call" and report.failed and bundle is not None:
        relative = bundle.relative_to(item.config.stash[RUN].path)
        if hasattr(report.longrepr, "addsection"):  # shown by the terminal, JUnit and Cucumber JSON
            report.longrepr.addsection("failure bundle", str(bundle))
        else:
            report.sections.append(("failure bundle", str(bundle)))
        item.user_properties.append(("failure_bundle", str(relative)))
        report.extras = [*getattr(report, "extras", []), pytest_html.extras.url(str(relative), name="failure bundle")]


def _record_result(item: pytest.Item, report: pytest.TestReport) -> None:
    """Scenario results for evidence.json and doc-drift.md."""
    feature = item.stash.get(FEATURE, None)
    if feature is None:
        return
    results, durations = item.config.stash[RESULTS], item.config.stash[DURATIONS]
    durations[item.name] = durations.get(item.name, 0.0) + report.duration
    message = str(report.longrepr).strip().splitlines()[-1][:300] if report.failed and report.longrepr else ""
    if report.when == "call" or report.failed or report.skipped:
        outcome = "failed" if report.failed else ("skipped" if report.skipped else "passed")
        if item.name not in results or outcome != "passed":
            results[item.name] = ScenarioResult(feature, item.name, outcome, message)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if RUN not in config.stash:
        return
    run, results = config.stash[RUN], list(config.stash[RESULTS].values())
    options = config.stash[OPTIONS]
    run.write_text("doc-drift.md", drift_markdown(drift_rows(results), f"--cluster={options.cluster}, --aws={options.aws.kind}"))
    run.write_json("doc-drift.json", drift_rows(results))
    write_evidence(run, evidence_record(run, results, config.stash[DURATIONS], config.stash[STARTED], time.time(), int(exitstatus)))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    keeper = config.stash.get(KEEPER, None)
    if keeper is not None and keeper.keeping:
        rerun = f".venv/bin/pytest features/ -k '{keeper.scenario}'"
        for line in keeper.instructions(rerun):
            terminalreporter.write_line(line)

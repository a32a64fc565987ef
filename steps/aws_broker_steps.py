"""Steps about the real AWS Service Broker: built once per run, started per
scenario with the prerequisites stack's key on that scenario's AWS, and what
it really does (findings.md)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from botocore.exceptions import ClientError
from pytest_bdd import given, parsers, then

from fixtures.actors.aws.backends import AwsBackend, MotoProxy
from fixtures.actors.aws.checks import BrokerValues
from fixtures.actors.aws.moto_launcher import record_emulator_adaptations
from fixtures.actors.aws.prerequisites import PrerequisitesStack
from fixtures.actors.brokers.aws import NAME, UPSTREAM_PLANS, UPSTREAM_SERVICES, AwsServiceBroker, broker_toolchain, publish_upstream_templates, unavailable_reason
from fixtures.actors.brokers.mock import BasicAuth, BearerAuth, TlsMode
from fixtures.platform.cluster.base import ClusterAccess
from fixtures.reporting.run_folder import RunFolder, record_image, record_versions
from fixtures.platform.incluster import PlacedImage
from fixtures.platform.placement import Placement
from fixtures.profiles.base import Profile, ProfileSettings
from fixtures.core.terminal import progress_line
from fixtures.core.parallel import actionable
from fixtures.platform.toolchain import Toolchain

AUTH_KINDS: dict[str, type[BasicAuth] | type[BearerAuth]] = {"basic": BasicAuth, "bearer": BearerAuth}
TRANSPORTS: dict[str, TlsMode] = {"trusted TLS": "trusted", "plain HTTP": "none"}
# The chart values the suite can set wrong, and the wrong value (the page's check c).
WRONG_VALUES = {
    "aws.secretkey": lambda values: {"secretkey": "not-the-" + values.secretkey[:8]},
    "aws.bucket": lambda values: {"bucket": "no-such-template-bucket"},
    # a real region, not the stack's: the broker starts there and finds no table
    "aws.region": lambda values: {"region": "eu-west-1" if values.region != "eu-west-1" else "us-west-2"},
}


@pytest.fixture(scope="session")
def aws_broker_binary(pytestconfig: pytest.Config, toolchain: Toolchain, run_folder: RunFolder) -> Path:
    """The broker's binary, built once (make setup builds it; a run without it builds it here), in versions.json."""
    reason = unavailable_reason(toolchain)
    if reason is not None:
        pytest.skip(reason)  # collection skips these scenarios already; a direct fixture use says the same
    tools = broker_toolchain(toolchain)
    show = progress_line(pytestconfig)
    with actionable(pytestconfig):
        tools.ensure(progress=lambda line: show(f"[toolchain] {line}"), only=(NAME,))
    record_versions(run_folder, [v for v in tools.versions() if v.name == NAME])
    return tools.path(NAME)


@pytest.fixture(scope="session")
def aws_broker_image(pytestconfig: pytest.Config, profile: Profile, cluster: ClusterAccess, profile_settings: ProfileSettings, placements, run_folder: RunFolder) -> PlacedImage:
    """The broker's image built here and put where the nodes run it, once per worker
    (after `placements`: on an existing cluster they bring the Docker daemon up)."""
    with actionable(pytestconfig):
        placed = profile.aws_broker_image(cluster, profile_settings)
    record_image(run_folder, "aws-servicebroker", f"{placed.image} (built here from the binary; {placed.where})")
    return placed


def broker_image_placement(request: pytest.FixtureRequest) -> Placement:
    """Where this scenario's real broker runs: where the profile runs brokers, with
    the broker's own image where it runs images (its binary on this machine's loopback)."""
    placement: Placement = request.getfixturevalue("broker_placement")
    if not placement.runs_images:
        return placement
    placed: PlacedImage = request.getfixturevalue("aws_broker_image")
    return placement.with_image(placed.image, placed.pull_policy)


def _values(prerequisites: PrerequisitesStack, wrong: str | None = None) -> BrokerValues:
    """The chart values the page's helm install sets: the stack's key, its region; the rest the chart's defaults."""
    key = prerequisites.key
    values = BrokerValues(key.access_key_id, key.secret_access_key, region=prerequisites.aws.region)
    if wrong is None:
        return values
    assert wrong in WRONG_VALUES, f"the suite can set {sorted(WRONG_VALUES)} wrong, not {wrong!r}"
    return BrokerValues(**{**values.__dict__, **WRONG_VALUES[wrong](values)})


def _broker(request, aws: AwsBackend, values: BrokerValues, auth: str, transport: str) -> AwsServiceBroker:
    assert auth in AUTH_KINDS, f"auth is {sorted(AUTH_KINDS)}, not {auth!r}"
    assert transport in TRANSPORTS, f"the broker is served over {sorted(TRANSPORTS)}, not {transport!r}"
    options, run_folder = request.getfixturevalue("suite_options"), request.getfixturevalue("run_folder")
    scenario_id = request.getfixturevalue("scenario_id")
    return AwsServiceBroker(
        request.getfixturevalue("aws_broker_binary"), values, aws, run_folder.logs / scenario_id,
        auth=AUTH_KINDS[auth].generate(), tls=TRANSPORTS[transport], start_timeout=options.start_timeout, placement=broker_image_placement(request),
    )


@given(parsers.parse("the AWS Service Broker starts with the stack's credentials, over {transport} with {auth} auth"), target_fixture="osb_broker")
def aws_broker(request, prerequisites: PrerequisitesStack, transport: str, auth: str) -> Iterator[AwsServiceBroker]:
    with _broker(request, prerequisites.aws, _values(prerequisites), auth, transport) as broker:
        yield broker


@given("an AWS account where the prerequisites stack was not deployed, with an administrator's access key", target_fixture="aws_account")
def account_without_prerequisites(request, suite_options, run_folder: RunFolder, scenario_id: str) -> Iterator[MotoProxy]:
    """Emulated AWS as an operator who skipped the page's step 3 has it: the templates
    bucket (AWS's own) answers, no broker table exists, and the key may do anything."""
    if suite_options.aws.kind == "real":
        pytest.skip("replays a missing table on a whole account: emulated AWS only (real AWS would need an account without the table)")
    aws = MotoProxy(
        run_folder.logs / scenario_id, enforce_iam=True, region=suite_options.aws.region, start_timeout=suite_options.start_timeout,
        placement=request.getfixturevalue("broker_placement"),
    )
    with aws:
        publish_upstream_templates(aws, request.getfixturevalue("toolchain").source_tree(NAME), BrokerValues("", ""))
        record_emulator_adaptations(run_folder)
        with pytest.raises(ClientError, match="ResourceNotFoundException"):
            aws.client("dynamodb").describe_table(TableName=BrokerValues("", "").tablename)
        yield aws


@given(parsers.parse("the AWS Service Broker starts with the administrator's key, over {transport} with {auth} auth"), target_fixture="osb_broker")
def aws_broker_admin_key(request, aws_account: MotoProxy, transport: str, auth: str) -> Iterator[AwsServiceBroker]:
    values = BrokerValues(aws_account.admin.access_key_id, aws_account.admin.secret_access_key, region=aws_account.region)
    with _broker(request, aws_account, values, auth, transport) as broker:
        yield broker


@given(parsers.parse("the AWS Service Broker starts with aws.region set to another region than the stack's, over {transport} with {auth} auth"), target_fixture="osb_broker")
def aws_broker_wrong_region(request, prerequisites: PrerequisitesStack, transport: str, auth: str) -> Iterator[AwsServiceBroker]:
    """It does not exit: it serves, with no services (its table is elsewhere)."""
    with _broker(request, prerequisites.aws, _values(prerequisites, "aws.region"), auth, transport) as broker:
        yield broker


@given(parsers.parse("the AWS Service Broker starts with {value} set wrong"), target_fixture="osb_broker")
def aws_broker_wrong_value(request, prerequisites: PrerequisitesStack, value: str, suite_options) -> Iterator[AwsServiceBroker]:
    broker = _broker(request, prerequisites.aws, _values(prerequisites, value), "bearer", "trusted TLS")
    try:
        broker.launch()
        code = broker.wait_for_exit(suite_options.start_timeout)
        assert code != 0, f"the broker exited with code 0 at start; its last log lines:\n{broker.log_tail()}"
        yield broker
    finally:
        broker.stop()


@then(parsers.parse("the broker serves upstream's {services:d} services and {plans:d} plans"))
def serves_upstream_catalog(osb_broker: AwsServiceBroker, services: int, plans: int) -> None:
    assert (services, plans) == (UPSTREAM_SERVICES, UPSTREAM_PLANS), "the feature names v1.0.4's catalog"
    catalog = osb_broker.fetch_catalog()
    served = (len(catalog.services), sum(len(s.plans) for s in catalog.services))
    assert served == (services, plans), f"the broker serves {served[0]} services and {served[1]} plans: {sorted(s.name for s in catalog.services)}"


@then("the broker answers its catalog to a request with no credentials at all, and the run report flags it")
def accepts_anyone(osb_broker: AwsServiceBroker, run_folder: RunFolder) -> None:
    """With the chart's bearer registration the broker checks nothing: pkg/broker has
    no TokenReview, and basic auth is off unless -enableBasicAuth is given."""
    assert isinstance(osb_broker.auth, BearerAuth), "the chart's registration is bearer"
    anonymous = osb_broker.get("/v2/catalog", auth=BasicAuth("nobody", "nothing"))
    assert anonymous.status_code == 200, f"HTTP {anonymous.status_code}: the broker now checks credentials"
    assert len(anonymous.json().get("services") or []) == UPSTREAM_SERVICES
    run_folder.append_findings([
        "the AWS Service Broker v1.0.4 served its catalog to a request whose credentials it never issued: with the chart's "
        "bearer registration (authenticate: true) it checks no token (pkg/broker has no TokenReview; basic auth only with "
        "-enableBasicAuth), so anyone who reaches its Service can provision AWS resources with its key"
    ])

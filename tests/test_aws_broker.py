"""The real AWS Service Broker on emulated AWS: what the suite's launcher
changes in moto (each adaptation proved needed and working), the broker's
start and its bad starts, and the reasons given where it cannot run."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from fixtures.actors.aws.backends import MotoProxy, MotoServer
from fixtures.actors.aws.checks import BrokerValues, diagnose
from fixtures.actors.aws.prerequisites import BROKER_POLICIES, UPSTREAM_TEMPLATE, UPSTREAM_USER_OUTPUT, PrerequisitesStack, without_dynamodb_grant
from fixtures.actors.brokers.aws import NAME, UPSTREAM_PLANS, UPSTREAM_SERVICES, AwsServiceBroker, broker_toolchain, publish_upstream_templates, unavailable_reason
from fixtures.actors.brokers.mock import BasicAuth, BearerAuth
from fixtures.core.errors import SuiteError
from fixtures.platform.toolchain import Toolchain
from tests.conftest import CUSTOM_RESOURCE_STACK

TOOLS = broker_toolchain(Toolchain())
BUILT = unavailable_reason(TOOLS) is None and NAME not in TOOLS.missing()
needs_broker = pytest.mark.skipif(not BUILT, reason=f"the AWS Service Broker is not built here ({unavailable_reason(TOOLS) or 'run make setup'})")


@pytest.fixture
def account(tmp_path: Path):
    with MotoProxy(tmp_path, enforce_iam=True) as aws:
        yield aws


@pytest.mark.parametrize("grant", [True, False], ids=["with the grant", "without it"])
def test_under_enforced_iam_the_table_grant_decides_and_a_refusal_is_json(account: MotoProxy, grant: bool):
    stack = PrerequisitesStack(account, "grant")
    if not grant:
        stack.template = without_dynamodb_grant(stack.template)
    with stack:
        [_, access, _] = diagnose(account, BrokerValues(stack.key.access_key_id, stack.key.secret_access_key))
    assert access.passed is grant, str(access)
    if not grant:  # AWS's JSON error, which the Go SDK parses and does not retry
        assert "AccessDeniedException" in access.evidence and "<?xml" not in access.evidence, access.evidence


def test_upstreams_prerequisites_give_the_user_its_inline_policies_and_delete_cleanly(account: MotoProxy):
    """moto as shipped drops AWS::IAM::User's inline Policies; the launcher applies them, and removes them with the user."""
    try:
        template = (TOOLS.source_tree(NAME) / UPSTREAM_TEMPLATE).read_text()
    except SuiteError as exc:
        pytest.skip(f"upstream's {UPSTREAM_TEMPLATE} is not at hand: {exc}")
    stack = PrerequisitesStack(account, "upstream", template=template, user_output=UPSTREAM_USER_OUTPUT, upstream=True)
    with stack:
        iam = account.client("iam")
        assert set(iam.list_user_policies(UserName=stack.user_name)["PolicyNames"]) == set(BROKER_POLICIES)
        [table, access, _] = diagnose(account, BrokerValues(stack.key.access_key_id, stack.key.secret_access_key))
        assert table.passed and access.passed, (str(table), str(access))
    assert "deleted stack upstream" in stack.ledger, stack.ledger
    with pytest.raises(ClientError, match="NoSuchEntity|cannot be found"):
        iam.get_user(UserName=stack.user_name)


def test_a_connection_reused_after_an_error_answers_at_once(account: MotoProxy):
    """moto_proxy left each tunnel's TLS socket open: the next call on it waited out a 60 s read timeout."""
    cloudformation = account.client("cloudformation", config=Config(retries={"max_attempts": 1}, read_timeout=10))
    started = time.monotonic()
    for _ in range(3):
        with pytest.raises(ClientError, match="does not exist"):
            cloudformation.describe_stacks(StackName="no-such-stack")
    assert time.monotonic() - started < 5


@needs_broker
def test_the_broker_serves_upstreams_catalog_and_checks_basic_auth(tmp_path: Path):
    with MotoProxy(tmp_path) as aws, PrerequisitesStack(aws, "serving") as stack:
        values = BrokerValues(stack.key.access_key_id, stack.key.secret_access_key)
        publish_upstream_templates(aws, TOOLS.source_tree(NAME), values)
        with AwsServiceBroker(TOOLS.path(NAME), values, aws, tmp_path, auth=BasicAuth.generate()) as broker:
            assert broker.catalog is not None
            assert (len(broker.catalog.services), len(broker.catalog.plan_pairs())) == (UPSTREAM_SERVICES, UPSTREAM_PLANS)
            assert broker.get("/v2/catalog", auth=BasicAuth("someone", "else")).status_code == 401
            assert broker.get("/v2/catalog", auth=BearerAuth("any-token")).status_code == 401
        assert broker.exited()


@needs_broker
def test_a_broker_that_exits_at_start_says_so_with_its_log_and_leaves_nothing(tmp_path: Path):
    # moto checks signatures only under enforced IAM.
    with MotoProxy(tmp_path, enforce_iam=True) as aws, PrerequisitesStack(aws, "wrong-key") as stack:
        values = BrokerValues(stack.key.access_key_id, "not-the-secret-key")
        publish_upstream_templates(aws, TOOLS.source_tree(NAME), values)
        broker = AwsServiceBroker(TOOLS.path(NAME), values, aws, tmp_path, auth=BasicAuth.generate(), start_timeout=20)
        with pytest.raises(SuiteError) as refused:
            broker.start()
        message = str(refused.value)
        assert message.startswith("the AWS Service Broker exited at start.") and "main.go" in message, message
        assert "not-the-secret-key" not in message
        assert broker.exited()


def test_a_sources_folder_without_the_tree_is_named_in_one_line(tmp_path: Path):
    reason = unavailable_reason(Toolchain(cache_root=tmp_path, sources_dir=tmp_path))
    if reason is None:
        pytest.skip("this machine's module proxy serves github.com/awslabs/aws-servicebroker: nothing to name")
    assert reason.startswith("the real AWS Service Broker cannot be built here") and "aws-servicebroker-v1.0.4/" in reason, reason
    assert "\n" not in reason


def test_a_tree_of_another_module_is_refused_in_one_line(tmp_path: Path):
    tree = tmp_path / "aws-servicebroker-v1.0.4"
    tree.mkdir()
    (tree / "go.mod").write_text("module example.test/not-the-broker\n")
    reason = unavailable_reason(Toolchain(cache_root=tmp_path, sources_dir=tmp_path))
    assert reason is not None and "is not github.com/awslabs/aws-servicebroker" in reason and "\n" not in reason, reason




def test_the_launcher_hands_upstreams_custom_resource_type_to_motos_custom_model(tmp_path: Path):
    """moto as shipped skips AWS::CloudFormation::CustomResource; through the launcher it invokes
    the resource's function and waits for its answer. Here no runtime image is named, so the
    function cannot run: the stack is CREATE_FAILED, naming the resource and what its invocation
    printed, at once (not after the wait's deadline). Without the stack's outputs: moto as
    shipped answers HTTP 500 to an output of a resource it skipped."""
    template = CUSTOM_RESOURCE_STACK.split("Outputs:")[0]
    with MotoProxy(tmp_path) as aws:
        cloudformation = aws.client("cloudformation")
        started = time.monotonic()
        cloudformation.create_stack(StackName="custom", TemplateBody=template, Capabilities=["CAPABILITY_IAM"])
        [stack] = cloudformation.describe_stacks(StackName="custom")["Stacks"]
        assert stack["StackStatus"] == "CREATE_FAILED", stack
        assert time.monotonic() - started < 60, "the launcher waited out its deadline for a function that could not run"
        failed = [e for e in cloudformation.describe_stack_events(StackName="custom")["StackEvents"] if e["LogicalResourceId"] == "Made"]
        assert failed and failed[0]["ResourceType"] == "AWS::CloudFormation::CustomResource", failed
        assert "its function ended without answering" in failed[0]["ResourceStatusReason"], failed[0]
    with MotoServer(tmp_path / "as-shipped") as shipped:  # moto as shipped: the resource is left out
        cloudformation = shipped.client("cloudformation")
        cloudformation.create_stack(StackName="custom", TemplateBody=template, Capabilities=["CAPABILITY_IAM"])
        made = [r.get("LogicalResourceId") for r in cloudformation.describe_stack_resources(StackName="custom")["StackResources"]]
        assert "Made" not in made, made

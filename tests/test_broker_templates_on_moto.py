"""What the pinned moto does with the AWS broker's provision, measured without the
broker (fixtures/actors/aws/broker_templates.py creates the stack as its Provision
does): each fact that AWS_BROKER_UNAVAILABLE states is asserted here, so a moto
that changes turns this into a failure that says which sentence to update."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from importlib.metadata import version

import boto3
from botocore.config import Config
from moto import mock_aws

from fixtures.actors.aws.backends import MotoServer
from fixtures.actors.aws.broker_templates import AWS_BROKER_UNAVAILABLE, OWN_TEMPLATES, as_json, create_like_the_broker
from fixtures.platform.toolchain.sources import SOURCES_ENV

# As tests/test_toolchain_sources.py finds them: the environment's folder, else ../shared/sources beside the checkout.
SOURCES = Path(os.environ.get(SOURCES_ENV) or Path(__file__).resolve().parents[2] / "shared" / "sources")
UPSTREAM_SQS = SOURCES / "aws-servicebroker-v1.0.4" / "templates" / "sqs" / "template.yaml"
needs_upstream = pytest.mark.skipif(not UPSTREAM_SQS.is_file(), reason=f"no {UPSTREAM_SQS} (set {SOURCES_ENV} to the folder of upstream source trees)")


@pytest.fixture(scope="module")
def moto_logs(tmp_path_factory):
    return tmp_path_factory.mktemp("moto")


@pytest.fixture(scope="module")
def moto(moto_logs):
    """One server for the module: each provision is its own stack (a new instance id)."""
    with MotoServer(moto_logs) as server:
        yield server


def _provision(moto: MotoServer, template: str):
    once = Config(retries={"total_max_attempts": 1})  # a server error is what is observed: no retries
    return create_like_the_broker(moto.client("cloudformation", config=once), template, "sqs", "standard", str(uuid.uuid4()), timeout=30)


def test_the_reason_names_the_pinned_moto():
    assert f"moto {version('moto')}" in AWS_BROKER_UNAVAILABLE


@needs_upstream
def test_upstream_yaml_template_is_a_server_error_in_moto(moto):
    outcome = _provision(moto, UPSTREAM_SQS.read_text())
    assert "500 Internal Server Error" in outcome.create_error and outcome.status == "", outcome


@needs_upstream
def test_the_server_error_is_the_outputs_check_tripping_on_raw_yaml_nodes():
    """In-process, moto's exception reaches the caller as it is: the proxy log's text."""
    template = UPSTREAM_SQS.read_text()
    with mock_aws():
        cloudformation = boto3.client("cloudformation", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
        with pytest.raises(TypeError, match="argument of type 'NoneType' is not iterable") as raised:
            cloudformation.create_stack(StackName="sqs", TemplateBody=template, Capabilities=["CAPABILITY_NAMED_IAM"])
    assert "validate_outputs" in {frame.name for frame in raised.traceback}


@needs_upstream
def test_upstream_template_as_json_completes_without_its_custom_resource(moto, moto_logs):
    outcome = _provision(moto, as_json(UPSTREAM_SQS.read_text()))
    assert outcome.create_error == "" and outcome.status == "CREATE_COMPLETE", outcome
    assert {"SQSQueue", "AWSSBInjectedIAMUser", "AWSSBInjectedIAMUserLambda"} <= set(outcome.resources), outcome.resources
    assert "AWSSBInjectedIAMUserCreator" not in outcome.resources  # the Lambda-backed access-key creator
    assert "No Moto CloudFormation support for AWS::CloudFormation::CustomResource" in (moto_logs / "moto.log").read_text()
    assert "500 Internal Server Error" in outcome.describe_error and outcome.outputs == {}, outcome  # the broker's poll and bind read DescribeStacks


@needs_upstream
def test_describe_stacks_fails_on_the_outputs_of_the_skipped_custom_resource():
    with mock_aws():
        cloudformation = boto3.client("cloudformation", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
        cloudformation.create_stack(StackName="sqs", TemplateBody=as_json(UPSTREAM_SQS.read_text()), Capabilities=["CAPABILITY_NAMED_IAM"])
        with pytest.raises(Exception, match="Fn::GetAtt references undefined resource AWSSBInjectedIAMUserCreator"):
            cloudformation.describe_stacks(StackName="sqs")


def test_the_projects_own_template_completes_with_the_bind_credentials(moto):
    outcome = _provision(moto, (OWN_TEMPLATES / "sqs-main.yaml").read_text())
    assert outcome.create_error == "" and outcome.describe_error == "" and outcome.status == "CREATE_COMPLETE", outcome
    assert {"QueueURL", "QueueARN", "SqsAwsAccessKeyId", "SqsAwsSecretAccessKey"} <= set(outcome.outputs), sorted(outcome.outputs)
    iam = moto.client("iam")
    holders = [
        u["UserName"] for u in iam.list_users()["Users"]
        if outcome.outputs["SqsAwsAccessKeyId"] in {k["AccessKeyId"] for k in iam.list_access_keys(UserName=u["UserName"])["AccessKeyMetadata"]}
    ]
    assert len(holders) == 1 and "AWSSBInjectedIAMUser" in holders[0], holders  # the key is the stack's own user's

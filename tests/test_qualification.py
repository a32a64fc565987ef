"""The qualification table's parts: the launcher's adaptations for upstream's service
templates (each proved needed against moto as shipped, and working through the
launcher), the parameters a plan is given, what counts as moto lacking a type, the
functions' zips, and the table's files and comparison. The whole table runs in
`make qualify-services`; one plan of it runs here where Docker answers."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from fixtures.actors.aws.backends import MotoProxy, MotoServer
from fixtures.actors.aws.qualification import OperationFailed, Outcome, PlanRow, StackResources, check_credentials, required_parameters, unsupported_resource_types
from fixtures.reporting.run_folder import RunFolder
from fixtures.reporting.services_table import load_rows, regressions, summary, write_table

KEY_WITH_OBJECT_POLICY = """
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: {Version: 2012-10-17, Statement: [{Effect: Allow, Principal: {AWS: "*"}, Action: "kms:*", Resource: "*"}]}  # YAML reads a date, as upstream writes it
Outputs:
  KeyId: {Value: !Ref Key}
"""

FIFO_QUEUE_WITHOUT_NAME = """
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: {FifoQueue: true}
Outputs:
  Url: {Value: !Ref Queue}
"""

SUBSCRIPTION = """
Parameters:
  Topic: {Type: String}
  Endpoint: {Type: String}
Resources:
  Subscription:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Topic, Endpoint: !Ref Endpoint, Protocol: sqs}
"""

ROLE_BESIDE_A_USERS_POLICY = """
Resources:
  User: {Type: AWS::IAM::User}
  UsersPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: users-only
      Users: [!Ref User]
      PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "sqs:*", Resource: "*"}]}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "sts:AssumeRole"}]}
"""


QUEUE_AND_RETAINED_BUCKET = """
Parameters:
  MaximumMessageSize: {Type: Number, Default: 262144}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: {MaximumMessageSize: !Ref MaximumMessageSize}
  Bucket:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
Outputs:
  QueueArn: {Value: !GetAtt Queue.Arn}
"""


def _outputs(cloudformation, name: str) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in cloudformation.describe_stacks(StackName=name)["Stacks"][0].get("Outputs", [])}


def _status(cloudformation, name: str) -> str:
    return next(s["StackStatus"] for s in cloudformation.list_stacks()["StackSummaries"] if s["StackName"] == name)


def test_a_kms_key_whose_template_policy_is_an_object_can_be_used(tmp_path: Path):
    with MotoProxy(tmp_path) as aws:
        aws.client("cloudformation").create_stack(StackName="kms", TemplateBody=KEY_WITH_OBJECT_POLICY)
        key = _outputs(aws.client("cloudformation"), "kms")["KeyId"]
        assert aws.client("kms").describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"
    with MotoServer(tmp_path / "as-shipped") as shipped:  # moto as shipped keeps the object: the call fails
        shipped.client("cloudformation").create_stack(StackName="kms", TemplateBody=KEY_WITH_OBJECT_POLICY)
        key = _outputs(shipped.client("cloudformation"), "kms")["KeyId"]
        with pytest.raises(ClientError, match="502|InternalError|Bad Gateway|500"):
            shipped.client("kms", config=Config(retries={"max_attempts": 1})).describe_key(KeyId=key)


def test_a_fifo_queue_without_a_name_gets_a_fifo_name(tmp_path: Path):
    with MotoProxy(tmp_path) as aws:
        cloudformation = aws.client("cloudformation")
        cloudformation.create_stack(StackName="fifo", TemplateBody=FIFO_QUEUE_WITHOUT_NAME)
        assert _status(cloudformation, "fifo") == "CREATE_COMPLETE"
        assert _outputs(cloudformation, "fifo")["Url"].endswith(".fifo")
    with MotoServer(tmp_path / "as-shipped") as shipped:
        with pytest.raises(Exception, match="must end in .fifo"):
            shipped.client("cloudformation").create_stack(StackName="fifo", TemplateBody=FIFO_QUEUE_WITHOUT_NAME)


def test_an_sns_subscription_is_made_and_removed_with_its_stack(tmp_path: Path):
    with MotoProxy(tmp_path) as aws:
        topic = aws.client("sns").create_topic(Name="existing")["TopicArn"]
        cloudformation = aws.client("cloudformation")
        parameters = [{"ParameterKey": "Topic", "ParameterValue": topic}, {"ParameterKey": "Endpoint", "ParameterValue": "arn:aws:sqs:us-east-1:123456789012:q"}]
        cloudformation.create_stack(StackName="sub", TemplateBody=SUBSCRIPTION, Parameters=parameters)
        [subscription] = aws.client("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        assert subscription["Protocol"] == "sqs"
        cloudformation.delete_stack(StackName="sub")
        cloudformation.get_waiter("stack_delete_complete").wait(StackName="sub", WaiterConfig={"Delay": 0.2, "MaxAttempts": 100})
        assert aws.client("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []


def test_a_role_beside_a_users_only_policy_is_deleted(tmp_path: Path):
    with MotoProxy(tmp_path) as aws:
        cloudformation = aws.client("cloudformation")
        cloudformation.create_stack(StackName="roles", TemplateBody=ROLE_BESIDE_A_USERS_POLICY, Capabilities=["CAPABILITY_IAM"])
        cloudformation.delete_stack(StackName="roles")
        cloudformation.get_waiter("stack_delete_complete").wait(StackName="roles", WaiterConfig={"Delay": 0.2, "MaxAttempts": 100})
        assert _status(cloudformation, "roles") == "DELETE_COMPLETE"
        assert aws.client("iam").list_roles()["Roles"] == []


def test_a_stacks_resources_are_found_made_then_gone_except_what_its_template_retains(tmp_path: Path):
    with MotoProxy(tmp_path) as aws:
        stack = StackResources(aws, "made", QUEUE_AND_RETAINED_BUCKET)
        with pytest.raises(OperationFailed, match="absent, not CREATE_COMPLETE"):
            stack.check_created()
        aws.client("cloudformation").create_stack(StackName="made", TemplateBody=QUEUE_AND_RETAINED_BUCKET)
        assert stack.check_created() == "2 resources, 2 looked up in moto"
        aws.client("cloudformation").delete_stack(StackName="made")
        said = stack.wait_deleted(timeout=30)
        assert said[0] == "stack DELETE_COMPLETE; 1 resources gone" and said[1].startswith("retained as the template says: AWS::S3::Bucket ")


def test_a_bindings_key_is_traced_to_its_one_user_even_while_other_users_come_and_go(tmp_path: Path):
    """The check asks the key for its owner: another stack's user deleted meanwhile cannot fail it."""
    with MotoProxy(tmp_path) as aws:
        iam = aws.client("iam")
        iam.create_user(UserName="bound")
        key_id = iam.create_access_key(UserName="bound")["AccessKey"]["AccessKeyId"]
        iam.create_user(UserName="passing-by")
        assert check_credentials(aws, {"ACCESS_KEY_ID": key_id}) == ["access key of IAM user bound"]
        iam.delete_user(UserName="passing-by")
        iam.delete_access_key(UserName="bound", AccessKeyId=key_id)
        with pytest.raises(OperationFailed, match=f"access key {key_id} has no owner in moto"):
            check_credentials(aws, {"ACCESS_KEY_ID": key_id})


def test_a_parameter_moto_refuses_fails_the_stack_at_its_resource_with_the_reason(tmp_path: Path):
    """The journey's refused provision: what the broker reads back from the stack's events."""
    with MotoProxy(tmp_path) as aws:
        parameters = [{"ParameterKey": "MaximumMessageSize", "ParameterValue": "100"}]
        aws.client("cloudformation").create_stack(StackName="refused", TemplateBody=QUEUE_AND_RETAINED_BUCKET, Parameters=parameters)
        stack = StackResources(aws, "refused", QUEUE_AND_RETAINED_BUCKET)
        assert "CREATE_FAILED" in stack.statuses()
        [(logical, reason)] = [failure for failure in stack.failures() if failure[0] == "Queue"]
        assert "MaximumMessageSize" in reason, reason
        described = aws.client("cloudformation").describe_stacks(StackName="refused")["Stacks"][0]  # the broker's last_operation reads it
        assert described["StackStatus"] == "CREATE_FAILED" and "Outputs" not in described


def test_moto_lacking_a_type_is_named_and_the_launchers_types_are_carried():
    template = "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B: {Type: AWS::Made::Up}\n  C: {Type: AWS::SNS::Subscription}\n  D: {Type: AWS::CloudFormation::CustomResource}\n"
    assert unsupported_resource_types(template) == ["AWS::Made::Up"]


def test_a_plan_is_given_its_required_parameters_and_those_its_defaults_cannot_fill():
    values = {"VpcId": "vpc-1", "AccessCidr": "10.0.0.0/16", "ExistingTopicArn": "arn:t", "SubscriptionEndPoint": "arn:q", "SubscriptionProtocol": "sqs"}
    rds = {"name": "dev", "schemas": {"service_instance": {"create": {"parameters": {"required": ["VpcId", "AccessCidr", "Unknown"]}}}}}
    assert required_parameters("rdsmysql", rds, values) == {"VpcId": "vpc-1", "AccessCidr": "10.0.0.0/16"}  # Unknown: the broker's refusal is the verdict
    assert required_parameters("sns", {"name": "subscription"}, values) == {"ExistingTopicArn": "arn:t", "SubscriptionEndPoint": "arn:q", "SubscriptionProtocol": "sqs"}
    assert required_parameters("sns", {"name": "topic"}, values) == {}


def test_a_functions_zip_holds_its_code_and_its_pinned_requirements(tmp_path: Path):
    from fixtures.actors.aws.lambda_functions import build_function_zip

    folder = tmp_path / "get_cidrs"
    folder.mkdir()
    (folder / "lambda_function.py").write_text("import netaddr\ndef handler(event, context):\n    return str(netaddr.IPNetwork('10.0.0.0/16'))\n")
    (folder / "requirements.txt").write_text("netaddr\n")
    names = zipfile.ZipFile(io.BytesIO(build_function_zip(folder, tmp_path / "cache"))).namelist()
    assert "lambda_function.py" in names and any(n.startswith("netaddr/") for n in names), names[:10]
    assert build_function_zip(folder, tmp_path / "cache") == build_function_zip(folder, tmp_path / "cache")  # kept by content


def test_an_unpinned_requirement_is_named_in_one_line(tmp_path: Path):
    from fixtures.actors.aws.lambda_functions import build_function_zip
    from fixtures.core.errors import SuiteError

    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "lambda_function.py").write_text("")
    (folder / "requirements.txt").write_text("leftpad\n")
    with pytest.raises(SuiteError, match="leftpad, which has no pinned version"):
        build_function_zip(folder, tmp_path / "cache")


def _row(service: str, plan: str, failing: str = "") -> PlanRow:
    outcomes = {}
    failed = False
    for op in ("provision", "last_operation", "bind", "unbind", "deprovision"):
        if failed:
            outcomes[op] = Outcome("not run")
        elif op == failing:
            outcomes[op], failed = Outcome("fail", 1.0, "moto lacks AWS::RDS::DBCluster"), True
        else:
            outcomes[op] = Outcome("pass", 1.0, "ok")
    return PlanRow(service, plan, outcomes)


def test_the_table_is_written_read_back_and_compared(tmp_path: Path):
    run = RunFolder.create(tmp_path)
    rows = [_row("sqs", "standard"), _row("rdsmysql", "dev", failing="last_operation")]
    write_table(run, rows, {"broker": "aws-servicebroker v1.0.4", "moto": "5.2.5", "parallel": 4, "seconds": 12.0})
    markdown = (run.path / "services.md").read_text()
    assert "| sqs | standard | pass | pass | pass | pass | pass |" in markdown
    assert "| rdsmysql | dev | pass | FAIL | - | - | - |" in markdown and "moto lacks AWS::RDS::DBCluster" in markdown
    assert 'class="fail"' in (run.path / "services.html").read_text()
    assert summary(load_rows(run.path / "services.json")) == summary(rows) == "1 of 2 plans passed all five operations; 1 of 2 services wholly (sqs)"
    assert json.loads((run.path / "services.json").read_text())["moto"] == "5.2.5"
    now = [_row("sqs", "standard", failing="bind"), _row("rdsmysql", "dev")]
    assert regressions(now, rows) == ["sqs/standard: passed in the baseline, now bind: moto lacks AWS::RDS::DBCluster"]
    assert regressions(rows[1:], rows) == ["sqs/standard: in the baseline, not in this table"]


def test_an_unknown_service_is_refused_in_one_line_before_anything_starts(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from fixtures.actors.brokers.aws import NAME, broker_toolchain
    from fixtures.cli.qualify_services import main
    from fixtures.core.errors import SuiteError
    from fixtures.platform.toolchain import Toolchain

    try:
        broker_toolchain(Toolchain()).source_tree(NAME)
    except SuiteError as exc:
        pytest.skip(f"upstream's tree is not at hand: {exc}")
    assert main(["--services", "sqs,nosuch", "--reports-dir", str(tmp_path)]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert error == [error[0]] and error[0].startswith("error: --services: nosuch is not one of upstream's services (athena,"), error
    assert not list(tmp_path.iterdir()), "a run folder was made for a refused command"

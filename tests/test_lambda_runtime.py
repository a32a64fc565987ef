"""The Lambda runtime image built for moto's Lambda backend honours moto's
container contract: `[handler, event-json]`, the code at /var/task, the result
as the last line, and upstream's inline code's `import cfnresponse` answering
the custom resource's ResponseURL. Needs a Docker daemon; skipped, saying so, without one."""
from __future__ import annotations

import json
import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from fixtures.actors.aws.lambda_images import REPOSITORY as LAMBDA_REPOSITORY, RUNTIMES, build_lambda_runtimes
from fixtures.platform.kind.docker import daemon_answers
from fixtures.platform.toolchain import Toolchain
from tests.conftest import CUSTOM_RESOURCE_STACK

pytestmark = pytest.mark.skipif(not daemon_answers(), reason="no Docker daemon answers: the Lambda runtime image is built and run with Docker (make setup-kind installs it)")

FUNCTION = '''
import cfnresponse

def handler(event, context):
    cfnresponse.send(event, context, cfnresponse.SUCCESS, {"AsbAccessKeyId": "made-" + event["LogicalResourceId"]})
    return {"answered": event["ResponseURL"]}
'''


class Answers(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_PUT(self) -> None:
        Answers.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_lambda_runtimes(Toolchain(), tmp_path_factory.mktemp("lambda-build"), print)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_function_answers_its_custom_resource_and_returns_its_result_last(repository: str, runtime: str, tmp_path: Path):
    (tmp_path / "index.py").write_text(FUNCTION)
    server = HTTPServer(("0.0.0.0", 0), Answers)  # the container reaches this machine through host-gateway
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Answers.received.clear()
    url = f"http://host.docker.internal:{server.server_port}/cloudformation_us-east-1/cfnresponse"
    event = {"ResponseURL": url, "StackId": "stack", "RequestId": "request", "LogicalResourceId": "Creator"}
    try:
        run = subprocess.run(
            ["docker", "run", "--rm", "--add-host", "host.docker.internal:host-gateway", "-v", f"{tmp_path}:/var/task", "-e", "AWS_REGION=us-east-1",
             f"{repository}:{runtime}", "index.handler", json.dumps(event)],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        server.shutdown()
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {"answered": url}, run.stdout
    [answer] = Answers.received
    assert (answer["Status"], answer["LogicalResourceId"], answer["Data"]) == ("SUCCESS", "Creator", {"AsbAccessKeyId": "made-Creator"}), answer




def _docker_things() -> set[str]:
    """What moto's Lambda backend makes: containers of the runtime images, and code volumes named by
    the launcher's suffix (another run's brokers and clusters on the machine are not counted)."""
    images = subprocess.run(["docker", "images", "-q", LAMBDA_REPOSITORY], capture_output=True, text=True, check=True).stdout.split()
    containers = {c for image in set(images) for c in subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"ancestor={image}"], capture_output=True, text=True, check=True).stdout.split()}
    volumes = subprocess.run(["docker", "volume", "ls", "-q"], capture_output=True, text=True, check=True).stdout.split()
    return {f"container {c}" for c in containers} | {f"volume {v}" for v in volumes if re.search(r"-moto\d+$", v)}


@pytest.fixture
def docker_left_clean():
    """What moto's Lambda backend makes (a volume per function's code, its containers) goes
    with the proxy: MotoProxy.stop removes what moto left (a container still being removed when
    moto stopped). Anything left after it is a failure, and removed here so the next test starts clean."""
    before = _docker_things()
    yield
    left = sorted(_docker_things() - before)
    for thing in left:
        kind, name = thing.split()
        subprocess.run(["docker", kind, "rm", "-f", name] if kind == "container" else ["docker", "volume", "rm", "-f", name], capture_output=True)
    assert not left, f"MotoProxy.stop left what moto's Lambda backend made: {left}"


def test_a_custom_resource_completes_through_moto_and_a_lambda_container(repository: str, tmp_path: Path, docker_left_clean: None):
    """The path upstream's templates take: moto_proxy (through the suite's launcher) invokes the
    function in a container of the runtime image, which answers the ResponseURL; the stack completes."""
    from fixtures.actors.aws.backends import MotoProxy
    from fixtures.actors.aws.lambda_images import ensure_volume_helper
    from fixtures.platform.placement import LoopbackPlacement

    ensure_volume_helper(Toolchain(), tmp_path, print)
    # Listening beyond loopback: the function's container reaches it through its gateway (host.docker.internal).
    with MotoProxy(tmp_path, placement=LoopbackPlacement(listen_host="0.0.0.0"), lambda_image=repository) as aws:
        cloudformation = aws.client("cloudformation")
        cloudformation.create_stack(StackName="custom", TemplateBody=CUSTOM_RESOURCE_STACK, Capabilities=["CAPABILITY_IAM"])
        cloudformation.get_waiter("stack_create_complete").wait(StackName="custom", WaiterConfig={"Delay": 2, "MaxAttempts": 60})
        [stack] = cloudformation.describe_stacks(StackName="custom")["Stacks"]
        assert {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])} == {"Key": "made-by-Made"}, stack


def test_upstreams_sqs_template_as_shipped_completes_with_the_users_key_in_ssm(repository: str, tmp_path: Path, docker_left_clean: None):
    """Upstream's templates/sqs/template.yaml, bytes unchanged, on moto behind moto_proxy through the
    suite's launcher: its python2.7 function (run on Python 3) makes the injected user's key, keeps it
    in SSM, and answers; the outputs the broker's bind reads name those parameters."""
    from fixtures.actors.aws.backends import MotoProxy
    from fixtures.actors.aws.lambda_images import ensure_volume_helper
    from fixtures.actors.brokers.aws import NAME, broker_toolchain
    from fixtures.core.errors import SuiteError
    from fixtures.platform.placement import LoopbackPlacement

    try:
        template = (broker_toolchain(Toolchain()).source_tree(NAME) / "templates" / "sqs" / "template.yaml").read_text()
    except SuiteError as exc:
        pytest.skip(f"upstream's sqs template is not at hand: {exc}")
    ensure_volume_helper(Toolchain(), tmp_path, print)
    with MotoProxy(tmp_path, placement=LoopbackPlacement(listen_host="0.0.0.0"), lambda_image=repository) as aws:
        cloudformation = aws.client("cloudformation")
        cloudformation.create_stack(StackName="aws-service-broker-sqs-test", TemplateBody=template, Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"])
        cloudformation.get_waiter("stack_create_complete").wait(StackName="aws-service-broker-sqs-test", WaiterConfig={"Delay": 2, "MaxAttempts": 60})
        [stack] = cloudformation.describe_stacks(StackName="aws-service-broker-sqs-test")["Stacks"]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        key_parameter = outputs["SqsAwsAccessKeyId"].removeprefix("ssm:")
        assert "${" not in key_parameter, outputs
        key_id = aws.client("ssm").get_parameter(Name=key_parameter, WithDecryption=True)["Parameter"]["Value"]
        users = [u["UserName"] for u in aws.client("iam").list_users()["Users"]]
        owners = [u for u in users if any(k["AccessKeyId"] == key_id for k in aws.client("iam").list_access_keys(UserName=u)["AccessKeyMetadata"])]
        assert len(owners) == 1, (key_id, users)
        assert aws.client("sqs").get_queue_attributes(QueueUrl=outputs["QueueURL"], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"] == outputs["QueueARN"]

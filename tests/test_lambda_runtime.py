"""The Lambda runtime image built for moto's Lambda backend honours moto's
container contract: `[handler, event-json]`, the code at /var/task, the result
as the last line, and upstream's inline code's `import cfnresponse` answering
the custom resource's ResponseURL. Needs a Docker daemon; skipped, saying so, without one."""
from __future__ import annotations

import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from fixtures.actors.aws.lambda_images import RUNTIMES, build_lambda_runtimes
from fixtures.platform.kind.docker import daemon_answers
from fixtures.platform.toolchain import Toolchain

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

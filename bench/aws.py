"""AWS figures (issue #4), medians over runs: the prerequisites stack created
on moto (target <= 3 s) and the broker's start to Ready (target <= 5 s: here the
mock broker starting up as the AWS broker does, against that stack; the real
broker's module is not served by the Go module proxy).

Usage: .venv/bin/python bench/aws.py [--runs N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fixtures.aws.backends import MotoServer  # noqa: E402
from fixtures.aws.prerequisites import PrerequisitesStack  # noqa: E402
from fixtures.brokers.mock import BearerAuth, MockBroker  # noqa: E402
from fixtures.brokers.osb import builtin_catalog  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    stacks, brokers = [], []
    with tempfile.TemporaryDirectory(prefix="asb-conformance-bench-") as tmp:
        for run in range(args.runs):
            with MotoServer(Path(tmp)) as moto:
                started = time.monotonic()
                with PrerequisitesStack(moto, f"bench-{run}") as stack:
                    stacks.append(time.monotonic() - started)
                    moto.emulate_template_bucket()
                    env = {"AWS_ACCESS_KEY_ID": stack.credentials.access_key_id, "AWS_SECRET_ACCESS_KEY": stack.credentials.secret_access_key, "MOCK_OSB_AWS_ENDPOINT": moto.endpoint}
                    started = time.monotonic()
                    with MockBroker(builtin_catalog("aws-full"), Path(tmp), auth=BearerAuth.generate(), tls="trusted", aws_env=env) as broker:
                        brokers.append(time.monotonic() - started)
                        assert len(broker.fetch_catalog().services) == 27
    print(f"prerequisites stack on moto, create to CREATE_COMPLETE + key, median of {args.runs}: {statistics.median(stacks):.2f} s (target <= 3 s)")
    print(f"broker start (AWS start-up impersonated, 27 services) to serving, median of {args.runs}: {statistics.median(brokers):.2f} s (target <= 5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

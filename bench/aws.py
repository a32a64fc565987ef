"""AWS figures, medians over runs: the prerequisites stack created on emulated
AWS (moto behind moto_proxy, as the real broker uses it; target <= 3 s) and
the real AWS Service Broker's start to serving its 27-service catalog
(target <= 3 s warm: its binary built, the templates in the bucket).

Usage: .venv/bin/python bench/aws.py [--runs N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


from fixtures.actors.aws.backends import MotoProxy
from fixtures.actors.aws.checks import BrokerValues
from fixtures.actors.aws.prerequisites import PrerequisitesStack
from fixtures.actors.brokers.aws import NAME, UPSTREAM_SERVICES, AwsServiceBroker, broker_toolchain, publish_upstream_templates
from fixtures.actors.brokers.mock import BasicAuth
from fixtures.platform.toolchain import Toolchain


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tools = broker_toolchain(Toolchain())
    tools.ensure(only=(NAME,))
    binary, tree = tools.path(NAME), tools.source_tree(NAME)
    stacks, brokers = [], []
    with tempfile.TemporaryDirectory(prefix="asb-conformance-bench-") as tmp:
        for run in range(args.runs):
            with MotoProxy(Path(tmp)) as aws:
                started = time.monotonic()
                with PrerequisitesStack(aws, f"bench-{run}") as stack:
                    stacks.append(time.monotonic() - started)
                    values = BrokerValues(stack.key.access_key_id, stack.key.secret_access_key)
                    publish_upstream_templates(aws, tree, values)
                    started = time.monotonic()
                    with AwsServiceBroker(binary, values, aws, Path(tmp), auth=BasicAuth.generate()) as broker:
                        brokers.append(time.monotonic() - started)
                        assert broker.catalog is not None and len(broker.catalog.services) == UPSTREAM_SERVICES
    print(f"prerequisites stack on moto (behind moto_proxy), create to CREATE_COMPLETE + key, median of {args.runs}: {statistics.median(stacks):.2f} s (target <= 3 s)")
    print(f"real AWS Service Broker start to serving its {UPSTREAM_SERVICES}-service catalog, median of {args.runs}: {statistics.median(brokers):.2f} s (target <= 3 s warm)")
    print(f"  each run: {', '.join(f'{b:.2f}' for b in brokers)} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

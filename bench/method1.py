"""Method 1 on kind with the real broker: upstream's chart installed with the
page's command (Helm 3 form) into aws-sb, three times on one cluster, each
time from `helm install` to the broker's pod Ready and to the
ClusterServiceBroker Ready (target: <= 60 s), and how much of the rest is
Service Catalog (its back-off after the first refused fetch, then 27 classes
and 57 plans through its 5 requests/s client).

Usage: .venv/bin/python bench/method1.py [--runs 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml


from fixtures.profiles.suite import Suite
from fixtures.actors.aws.backends import MotoProxy
from fixtures.actors.aws.broker_chart import NAMESPACE, RELEASE, emulation_values, install, uninstall, upstream_chart, wait_for_broker_pod
from fixtures.actors.aws.prerequisites import UPSTREAM_TEMPLATE, UPSTREAM_USER_OUTPUT, PrerequisitesStack
from fixtures.actors.brokers.aws import NAME, TOOLCHAIN_PROFILE, publish_upstream_templates
from fixtures.actors.aws.checks import BrokerValues
from fixtures.platform.catalog.registration import broker_watch, wait_until_ready
from fixtures.platform.cluster.leftovers import page_namespace
from fixtures.core.kube import api_client

CATALOG_WRITES = 27 + 57  # upstream's services and plans, each one write of Service Catalog's client


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pod_ready, broker_ready = [], []
    with tempfile.TemporaryDirectory(prefix="asb-conformance-bench-") as tmp:
        logs = Path(tmp)
        suite = Suite.for_cluster("kind", logs, extra_profiles=(TOOLCHAIN_PROFILE,))  # the suite's own composition root
        toolchain = suite.toolchain
        toolchain.ensure()
        with suite.cluster() as access, suite.service_catalog(access), api_client(access.kubeconfig) as api:
            placements = suite.placements(access)
            image = suite.profile.aws_broker_image(access, suite.settings)
            helm = suite.cli("helm", access)
            template = (toolchain.source_tree(NAME) / UPSTREAM_TEMPLATE).read_text()
            with placements as placement_for:
                aws = MotoProxy(logs, placement=placement_for("bench"))  # MotoProxy, for emulation_values: not the base type __enter__ gives
                with aws:
                    publish_upstream_templates(aws, toolchain.source_tree(NAME), BrokerValues("", ""))
                    with PrerequisitesStack(aws, "bench", template=template, user_output=UPSTREAM_USER_OUTPUT, upstream=True) as stack:
                        extra_env = logs / "emulation-values.yaml"
                        extra_env.write_text(yaml.safe_dump(emulation_values(aws)))
                        values = [f"aws.secretkey={stack.key.secret_access_key}", f"aws.accesskeyid={stack.key.access_key_id}",
                                  f"image={image.image}", f"imagePullPolicy={image.pull_policy}"]
                        for _ in range(args.runs):
                            with page_namespace(api, NAMESPACE, lambda: False, 300, True), broker_watch(api, RELEASE) as watch:
                                started = time.monotonic()
                                install(helm, str(upstream_chart(toolchain)), NAMESPACE, values, (extra_env,))
                                try:
                                    wait_for_broker_pod(api, NAMESPACE, 300)
                                    pod_ready.append(time.monotonic() - started)
                                    wait_until_ready(watch, 600)
                                    broker_ready.append(time.monotonic() - started)
                                finally:
                                    uninstall(helm, api, NAMESPACE, 300)
    pod, ready = statistics.median(pod_ready), statistics.median(broker_ready)
    writes = CATALOG_WRITES / 5
    print(f"helm install -> broker pod Ready (median of {args.runs})          {pod:6.1f} s   {[round(s, 1) for s in pod_ready]}")
    print(f"helm install -> ClusterServiceBroker Ready (target <= 60 s) {ready:6.1f} s   {[round(s, 1) for s in broker_ready]}")
    print(f"  of the rest ({ready - pod:.1f} s): Service Catalog writing {CATALOG_WRITES} classes and plans at 5 requests/s, about {writes:.0f} s;")
    print(f"  its back-off after the first fetch the not yet Ready pod refused, about {max(ready - pod - writes, 0):.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

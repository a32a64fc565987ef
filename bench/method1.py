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

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from fixtures.aws.backends import MotoProxy  # noqa: E402
from fixtures.aws.broker_chart import NAMESPACE, RELEASE, emulation_values, install, uninstall, upstream_chart, wait_for_broker_pod  # noqa: E402
from fixtures.aws.prerequisites import UPSTREAM_TEMPLATE, UPSTREAM_USER_OUTPUT, PrerequisitesStack  # noqa: E402
from fixtures.brokers.aws import NAME, broker_toolchain, publish_upstream_templates  # noqa: E402
from fixtures.aws.checks import BrokerValues  # noqa: E402
from fixtures.catalog.registration import broker_watch, wait_until_ready  # noqa: E402
from fixtures.cluster.leftovers import page_namespace  # noqa: E402
from fixtures.commands import Cli  # noqa: E402
from fixtures.kube import api_client  # noqa: E402
from fixtures.options import parse_cluster  # noqa: E402
from fixtures.profiles import ProfileSettings, profile_for  # noqa: E402
from fixtures.toolchain import Toolchain  # noqa: E402

CATALOG_WRITES = 27 + 57  # upstream's services and plans, each one write of Service Catalog's client


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    profile = profile_for(parse_cluster("kind"))
    toolchain = broker_toolchain(Toolchain(profiles=profile.toolchain_profiles))
    toolchain.ensure()
    pod_ready, broker_ready = [], []
    with tempfile.TemporaryDirectory(prefix="asb-conformance-bench-") as tmp:
        logs = Path(tmp)
        settings = ProfileSettings(toolchain, logs, start_timeout=600)
        with profile.cluster(settings) as access, profile.service_catalog(access, settings), api_client(access.kubeconfig) as api:
            placements = profile.placements(access, settings)
            assert placements is not None, "the kind profile places moto on the kind network"
            image = profile.aws_broker_image(access, settings)
            helm = Cli.from_toolchain(toolchain, "helm", access.kubeconfig, logs)
            template = (toolchain.source_tree(NAME) / UPSTREAM_TEMPLATE).read_text()
            with placements as placement_for, MotoProxy(logs, placement=placement_for("bench")) as aws:
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

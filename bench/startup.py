"""Start-up figures, as medians over runs:

- one-time build of the toolchain (recorded when the cache entry was built cold)
- warm start: embedded etcd + kube-apiserver + Service Catalog until ready (target <= 5 s)
- Ready seen: from the controller writing Ready (the API server's audit
  timestamp of that status update) to the suite's watch seeing it (target <= 0.5 s)

Usage: .venv/bin/python bench/startup.py [--runs N]
"""
from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path


from kubernetes import client

from fixtures.actors.brokers.mock import MockBroker
from fixtures.actors.brokers.osb import builtin_catalog
from fixtures.platform.catalog.install import ServiceCatalog
from fixtures.platform.catalog.registration import (
    SecretRef,
    apply_manifest,
    broker_watch,
    create_auth_secret,
    delete_broker,
    page_cluster_service_broker,
    wait_until_ready,
)
from fixtures.platform.cluster.embedded import EmbeddedCluster
from fixtures.core.commands import Cli
from fixtures.core.kube import api_client
from fixtures.platform.toolchain import Toolchain

AUDIT_POLICY = """apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
  resources: [{group: servicecatalog.k8s.io, resources: [clusterservicebrokers/status]}]
  verbs: [update, patch]
- level: None
"""


def ready_written_at(audit_log: Path, broker: str) -> float | None:
    """When the API server finished the status update that made the broker Ready."""
    written = None
    for line in audit_log.read_text().splitlines():
        event = json.loads(line)
        ref = event.get("objectRef", {})
        if ref.get("name") == broker and event.get("stage") == "ResponseComplete" and event.get("responseStatus", {}).get("code") == 200:
            stamp = datetime.datetime.fromisoformat(event["stageTimestamp"].replace("Z", "+00:00")).timestamp()
            written = stamp if written is None else min(written, stamp)
    return written


def one_run(toolchain: Toolchain, workdir: Path, index: int) -> tuple[float, float]:
    logs = workdir / f"run-{index}"
    policy = workdir / "audit-policy.yaml"
    policy.write_text(AUDIT_POLICY)
    audit_log = logs / "audit.log"
    started = time.monotonic()
    cluster = EmbeddedCluster(toolchain, logs, extra_apiserver_args=(f"--audit-policy-file={policy}", f"--audit-log-path={audit_log}"))
    with cluster as access, ServiceCatalog(access, toolchain, logs):
        warm_start = time.monotonic() - started
        with api_client(access.kubeconfig) as api, MockBroker(builtin_catalog("aws-minimal"), logs) as broker:
            core = client.CoreV1Api(api)
            core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="bench")))
            secret = create_auth_secret(core, SecretRef("bench", "creds"), broker.auth.secret_data())
            kubectl = Cli.from_toolchain(toolchain, "kubectl", access.kubeconfig, logs)
            with broker_watch(api, "bench-broker") as watch:
                apply_manifest(kubectl, page_cluster_service_broker("bench-broker", broker.url, secret, auth="basic"))
                wait_until_ready(watch, 60)
                seen = time.time()
            written = ready_written_at(audit_log, "bench-broker")
            delete_broker(api, "bench-broker", 60)
    if written is None:
        raise RuntimeError(f"no audited status update for bench-broker in {audit_log}")
    return warm_start, seen - written


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    toolchain = Toolchain()
    cold = toolchain.missing()
    build_started = time.monotonic()
    toolchain.ensure()
    if cold:
        print(f"one-time build (cold, just now): {time.monotonic() - build_started:.1f} s for {', '.join(cold)}")
    times = toolchain.build_times()
    if times:
        print(f"one-time build (as recorded when each cache entry was built): {sum(times.values()):.1f} s total; "
              + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in times.items()))
    starts, latencies = [], []
    with tempfile.TemporaryDirectory(prefix="asb-conformance-bench-") as tmp:
        for index in range(args.runs):
            warm, latency = one_run(toolchain, Path(tmp), index)
            starts.append(warm)
            latencies.append(latency)
            print(f"run {index + 1}: warm start {warm:.2f} s, Ready seen {latency * 1000:.0f} ms after written")
    print(f"warm start (control plane + Service Catalog), median of {args.runs}: {statistics.median(starts):.2f} s (target <= 5 s)")
    print(f"Ready seen after written, median of {args.runs}: {statistics.median(latencies) * 1000:.0f} ms (target <= 500 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

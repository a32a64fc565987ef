"""Registration and comparison figures, medians over runs:

- apply of the page's ClusterServiceBroker -> Ready seen by the suite, for the
  3-service and the 27-service catalog (Service Catalog's controller creates a
  class and a plan per offering through client-go's default rate limit)
- the three-layer comparison (broker catalog, classes/plans, marketplace) on
  the 27-service catalog, per marketplace reader (target: < 1 s per scenario)

Usage: .venv/bin/python bench/registration.py [--runs N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


from kubernetes import client

from fixtures.profiles.suite import Suite
from fixtures.actors.brokers.mock import BearerAuth, MockBroker
from fixtures.actors.brokers.osb import builtin_catalog
from fixtures.platform.catalog.registration import (
    SecretRef,
    apply_manifest,
    broker_watch,
    create_auth_secret,
    delete_broker,
    page_cluster_service_broker,
    wait_until_ready,
)
from fixtures.core.kube import api_client
from fixtures.actors.marketplace.compare import read_cluster_offerings
from fixtures.actors.marketplace.layers import compare_layers
from fixtures.actors.marketplace.readers import KfReader, MarketplaceReader, ServiceCatalogApiReader, SvcatReader


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asb-conformance-bench-") as tmp:
        suite = Suite.for_cluster("embedded", Path(tmp), start_timeout=90)  # the suite's own composition root
        suite.toolchain.ensure()
        with suite.cluster() as access, suite.service_catalog(access) as catalog, api_client(access.kubeconfig) as api:
            core = client.CoreV1Api(api)
            core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="bench")))
            readers: dict[str, MarketplaceReader] = {
                "kf": KfReader(suite.cli("kf", access, env={"HOME": tmp}), api),
                "svcat": SvcatReader(suite.cli("svcat", access), api),
                "api": ServiceCatalogApiReader(api),
            }
            for catalog_name in ("aws-minimal", "aws-full"):
                ready_times: list[float] = []
                compare_times: dict[str, list[float]] = {name: [] for name in readers}
                for run in range(args.runs):
                    with MockBroker(builtin_catalog(catalog_name), suite.log_dir, auth=BearerAuth.generate(), tls="trusted") as broker:
                        secret = create_auth_secret(core, SecretRef("bench", f"creds-{catalog_name}-{run}"), broker.auth.secret_data())
                        manifest = page_cluster_service_broker(f"bench-{run}", broker.url, secret, "bearer", ca_bundle=broker.ca_pem)
                        with broker_watch(api, manifest["metadata"]["name"]) as watch:
                            started = time.monotonic()
                            apply_manifest(catalog.kubectl, manifest)
                            wait_until_ready(watch, 120)
                            ready_times.append(time.monotonic() - started)
                        if catalog_name == "aws-full":
                            for name, reader in readers.items():
                                started = time.monotonic()
                                rows = compare_layers(broker.fetch_catalog(), read_cluster_offerings(api, manifest["metadata"]["name"]), reader.read("bench", manifest["metadata"]["name"]))
                                compare_times[name].append(time.monotonic() - started)
                                assert not rows, f"{name}: layers differ"
                        delete_broker(api, manifest["metadata"]["name"], 120)
                print(f"{catalog_name}: apply -> Ready seen, median of {args.runs}: {statistics.median(ready_times):.2f} s")
                for name, times in compare_times.items():
                    if times:
                        print(f"{catalog_name}: three-layer comparison with the {name} reader, median of {args.runs}: {statistics.median(times):.2f} s (target < 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

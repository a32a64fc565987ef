"""The developer's journey after the page, medians over runs, on the
embedded profile with the mock broker (async provision and deprovision, its
default 0.5 s in progress):

    kf create-service -> Ready, svcat bind -> Ready, svcat unbind --wait,
    kf delete-service (target: <= 10 s per journey, median)

and where the time goes, from the broker's record of each call (wall clock):
the broker itself (its answers plus the time it reports "in progress"), Service
Catalog's polling back-off (from the broker's 202 to the poll that finds the
operation over, less the broker's "in progress" time), and the rest (Service
Catalog's reaction to a new object, the CLIs' own 1 s polls, status writes).

Service Catalog's chart exposes only the polling back-off's maximum
(controllerManager.operationPollingMaximumBackoffDuration, default 20m); its
first interval (1 s, doubling) is a constant of the controller
(pkg/controller/controller.go pollingStartInterval), so nothing is tuned here.

Usage: .venv/bin/python bench/journey.py [--runs N]   (in its own network namespace
on a shared machine: Service Catalog's webhook takes port 8080)
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
from fixtures.platform.catalog import names
from fixtures.platform.catalog.registration import (
    SecretRef,
    apply_manifest,
    broker_watch,
    create_auth_secret,
    delete_broker,
    page_cluster_service_broker,
    wait_until_ready,
)
from fixtures.core.commands import Cli
from fixtures.actors.instances import broker_calls
from fixtures.actors.instances.bindings import svcat_bind, svcat_unbind
from fixtures.actors.instances.kf_services import KfServices
from fixtures.actors.instances.objects import ServiceObjects
from fixtures.core.kube import api_client

NAMESPACE = "bench-journey"
TIMEOUT = 120.0
PHASES = ("provision", "bind", "unbind", "deprovision")
ASYNC_SECONDS = 0.5  # the mock broker's default: how long each async operation reports "in progress"


def one_journey(run: int, kf: KfServices, svcat: Cli, objects: ServiceObjects, broker: MockBroker) -> tuple[dict[str, float], dict[str, float]]:
    """(wall time per phase, where the time of the two async phases went) for one journey."""
    instance, binding = f"orders-{run}", f"orders-{run}-binding"
    since = len(broker.recorded_requests())
    spans: dict[str, tuple[float, float]] = {}  # phase -> (wall-clock start, end): comparable with the broker's record
    started = time.time()
    result = kf.create_service(NAMESPACE, "sqs", "standard", instance)
    assert result.returncode == 0, result.stderr
    status = objects.wait_ready(names.SERVICE_INSTANCES, instance, names.REASON_PROVISIONED)
    spans["provision"] = (started, time.time())
    started = time.time()
    svcat_bind(svcat, NAMESPACE, instance, binding)
    objects.wait_ready(names.SERVICE_BINDINGS, binding, names.REASON_BOUND)
    spans["bind"] = (started, time.time())
    started = time.time()
    svcat_unbind(svcat, NAMESPACE, binding, TIMEOUT)
    objects.wait_gone(names.SERVICE_BINDINGS, binding)
    spans["unbind"] = (started, time.time())
    started = time.time()
    result = kf.delete_service(NAMESPACE, instance)
    assert result.returncode == 0, result.stderr
    spans["deprovision"] = (started, time.time())
    calls = [c for c in broker_calls.osb_calls(broker.recorded_requests()[since:]) if c.instance_id == status.external_id]
    return {phase: end - start for phase, (start, end) in spans.items()}, split(calls, spans)


def split(calls: list[broker_calls.BrokerCall], spans: dict[str, tuple[float, float]]) -> dict[str, float]:
    """For provision and deprovision (the async operations): the broker's own time (its
    answers and its "in progress"), Service Catalog's polling wait beyond that, the time
    before the broker is first called, and the time after its last answer."""
    where = {"broker": 0.0, "polling": 0.0, "before": 0.0, "after": 0.0}
    for operation in ("provision", "deprovision"):
        start, end = spans[operation]
        mine = [c for c in calls if start <= c.at <= end]
        accepted = next(c for c in mine if c.operation == operation and c.status == 202)
        over = next(c for c in mine if c.operation == "last_operation" and c.at > accepted.at and (c.status == 410 or (c.answer or {}).get("state") != "in progress"))
        where["broker"] += sum(c.duration_ms for c in mine) / 1000 + ASYNC_SECONDS
        where["polling"] += max(0.0, over.at - accepted.at - ASYNC_SECONDS)
        where["before"] += accepted.at - start
        where["after"] += end - over.at
    return where



def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asb-conformance-bench-") as tmp:
        logs = Path(tmp)
        suite = Suite.for_cluster("embedded", logs, start_timeout=90)  # the suite's own composition root
        suite.toolchain.ensure()
        with suite.cluster() as access, suite.service_catalog(access) as catalog, api_client(access.kubeconfig) as api:
            client.CoreV1Api(api).create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NAMESPACE)))
            kf = KfServices(suite.cli("kf", access, env={"HOME": tmp}), TIMEOUT)
            svcat = suite.cli("svcat", access)
            objects = ServiceObjects(api, NAMESPACE, TIMEOUT)
            with MockBroker(builtin_catalog("aws-minimal"), logs, auth=BearerAuth.generate(), tls="trusted") as broker:
                broker.set_behaviour(async_seconds=ASYNC_SECONDS)
                secret = create_auth_secret(client.CoreV1Api(api), SecretRef(NAMESPACE, "creds"), broker.auth.secret_data())
                manifest = page_cluster_service_broker("bench-journey", broker.url, secret, "bearer", ca_bundle=broker.ca_pem)
                with broker_watch(api, "bench-journey") as watch:
                    apply_manifest(catalog.kubectl, manifest)
                    wait_until_ready(watch, TIMEOUT)
                totals: list[float] = []
                by_phase: dict[str, list[float]] = {p: [] for p in PHASES}
                by_part: dict[str, list[float]] = {"broker": [], "polling": [], "before": [], "after": []}
                for run in range(args.runs):
                    phases, where = one_journey(run, kf, svcat, objects, broker)
                    totals.append(sum(phases.values()))
                    for phase, seconds in phases.items():
                        by_phase[phase].append(seconds)
                    for part, seconds in where.items():
                        by_part[part].append(seconds)
                    print(f"journey {run + 1}: {totals[-1]:.2f} s ({', '.join(f'{p} {s:.2f}' for p, s in phases.items())})", flush=True)
                assert not objects.leftovers(), objects.leftovers()
                delete_broker(api, "bench-journey", TIMEOUT)
    total = statistics.median(totals)
    print(f"provision + bind + unbind + deprovision through Service Catalog, median of {args.runs}: {total:.2f} s (target <= 10 s)")
    for phase in PHASES:
        print(f"  {phase}: median {statistics.median(by_phase[phase]):.2f} s")
    share = {name: statistics.median(values) for name, values in by_part.items()}
    print("where the time of provision + deprovision goes (medians):")
    print(f"  the broker (its answers + {ASYNC_SECONDS:g} s 'in progress' per operation): {share['broker']:.2f} s")
    print(f"  Service Catalog's polling back-off beyond the broker's 'in progress' (first poll 1 s after the 202): {share['polling']:.2f} s")
    print(f"  before the broker is called (kf writes the instance, the controller picks it up): {share['before']:.2f} s")
    print(f"  after the broker's last answer (status written, kf's own 1 s poll sees it): {share['after']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

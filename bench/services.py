"""One sqs plan's five OSB operations on the real broker on emulated AWS, medians over
runs (target <= 20 s), and where the time goes: the provision (CreateStack, which
waits for the template's Lambda-backed custom resource: a container per invocation),
the broker's polling, the bind, the deprovision (the custom resource's Delete, another
container). The whole table's figure is `make qualify-services`' own (services.md).

Usage: .venv/bin/python -m bench.services [--runs N] [--service sqs --plan standard]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from fixtures.actors.aws.qualification import OPERATIONS, PlanQualification, required_parameters
from fixtures.cli.qualify_services import QualificationWorld
from fixtures.reporting.run_folder import RunFolder


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--service", default="sqs")
    parser.add_argument("--plan", default="standard")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asb-conformance-bench-") as tmp:
        with QualificationWorld(RunFolder.create(Path(tmp))) as world:
            [(service, plan)] = [pair for pair in world.plans([args.service]) if pair[1].name == args.plan]
            parameters = required_parameters(service.name, world.raw_plan(service.name, plan.name), world.parameter_values)
            rows = [PlanQualification(world.broker, world.aws, service, plan, world.template(service.name), parameters).run() for _ in range(args.runs)]
    failed = [row.first_cause for row in rows if not row.passed]
    if failed:
        print(f"{args.service}/{args.plan} did not pass: {failed[0]}", file=sys.stderr)
        return 1
    totals = [row.seconds for row in rows]
    print(f"{args.service}/{args.plan}, provision to deprovisioned on the real broker on moto, median of {args.runs}: {statistics.median(totals):.1f} s (target <= 20 s)")
    for operation in OPERATIONS:
        print(f"  {operation:<15} {statistics.median(row.outcomes[operation].seconds for row in rows):6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

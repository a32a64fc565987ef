"""Helpers for the suite's own tests."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from fixtures.core.redaction import CANARY_ENV

REPO_ROOT = Path(__file__).resolve().parents[1]


def run_suite(*args: str, reports: Path, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `pytest features/ ARGS` as a user would, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "features/", "-p", "no:cacheprovider", f"--reports-dir={reports}", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    return tmp_path / "reports"


# Set by the run below: every secret the suite makes starts with it (fixtures/core/redaction.py).
CANARY = "CANARYzz9q"
FORCED_FAILURE_SELECTION = "forced or (credentials_in_a_secret and basic) or table_is_missing or prerequisites_stack"


@dataclass
class SuiteRun:
    result: subprocess.CompletedProcess[str]
    reports: Path  # the reports folder
    run: Path  # this run's folder in it


def run_folders(reports: Path) -> set[Path]:
    return {p for p in reports.iterdir() if p.is_dir() and not p.is_symlink()} if reports.is_dir() else set()


def run_with_canary(reports: Path, *args: str, timeout: float = 900) -> SuiteRun:
    """A real run (embedded cluster), every secret it makes carrying the canary."""
    before = run_folders(reports)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *args, "-p", "no:cacheprovider", f"--reports-dir={reports}", "--ready-timeout=10"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, CANARY_ENV: CANARY, "ASB_CONFORMANCE_FORCE_FAILURE": "1"},
    )
    made = run_folders(reports) - before
    assert len(made) == 1, f"expected one new run folder in {reports}, found {sorted(made)}: {result.stdout[-3000:]}"
    return SuiteRun(result, reports, made.pop())


@pytest.fixture(scope="session")
def forced_failure_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    """One real run shared by the failure-bundle and report-page tests: a
    deliberately failing scenario (tests/forced_failure) beside passing and
    skipped ones, every secret carrying the canary."""
    reports = tmp_path_factory.mktemp("forced-failure") / "reports"
    return run_with_canary(reports, "tests/forced_failure", "features/test_features.py", "-k", FORCED_FAILURE_SELECTION)


# A stack of one Lambda-backed custom resource, as upstream's service templates make their keys:
# its function answers with data, which the stack's output reads (tests of moto's launcher and Lambda).
CUSTOM_RESOURCE_STACK = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "sts:AssumeRole"}]}
  Maker:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: python3.6
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          import cfnresponse
          def handler(event, context):
              cfnresponse.send(event, context, cfnresponse.SUCCESS, {"Key": "made-by-" + event["LogicalResourceId"]})
  Made:
    Type: AWS::CloudFormation::CustomResource
    Properties:
      ServiceToken: !GetAtt Maker.Arn
Outputs:
  Key:
    Value: !GetAtt Made.Key
"""

"""`kf services` (Kf v0.2.0) read as the journey reads it: its table, and its one
known failure on Service Catalog v0.3 reported as drift, any other failing."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fixtures.core.commands import Cli
from fixtures.core.errors import SuiteError
from fixtures.actors.instances.kf_services import BROKER_LOOKUP_DRIFT, KfServices

TABLE = (
    "Name    Service  Plan      Bound Apps  Last Operation           Broker\n"
    "orders  sqs      standard              ProvisionedSuccessfully  error finding broker: unable to search classes by name "
    f"({BROKER_LOOKUP_DRIFT})\n"
)


class CannedKf(Cli):
    """Answers every command with one canned result (the real kf's output, as recorded on Service Catalog v0.3.1)."""

    def __init__(self, returncode: int, stdout: str, stderr: str, tmp: Path):
        super().__init__("kf", Path("kf"), tmp / "kubeconfig", tmp / "commands.log")
        self.result = subprocess.CompletedProcess(["kf"], returncode, stdout, stderr)

    def run(self, *args: str, input: str | None = None, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return self.result


def test_the_known_broker_lookup_failure_is_drift_and_the_table_is_read(tmp_path):
    listing = KfServices(CannedKf(1, TABLE, f"Error: unable to search classes by name ({BROKER_LOOKUP_DRIFT})", tmp_path), 10).services("ns")
    assert listing.rows["orders"]["LAST OPERATION"] == "ProvisionedSuccessfully" and listing.rows["orders"]["PLAN"] == "standard"
    assert "exits 1 on Service Catalog v0.3.1" in listing.drift


def test_any_other_failure_fails(tmp_path):
    with pytest.raises(SuiteError, match="kf services failed"):
        KfServices(CannedKf(1, "", "Error: couldn't list Apps: the server could not find the requested resource", tmp_path), 10).services("ns")


def test_a_clean_run_has_no_drift(tmp_path):
    listing = KfServices(CannedKf(0, TABLE.replace(BROKER_LOOKUP_DRIFT, "x"), "", tmp_path), 10).services("ns")
    assert listing.drift == "" and set(listing.rows) == {"orders"}

"""Collected only when ASB_CONFORMANCE_FORCE_FAILURE=1 (tests/test_failure_bundle.py sets it)."""
import os
from pathlib import Path

import pytest
from pytest_bdd import scenarios

if os.environ.get("ASB_CONFORMANCE_FORCE_FAILURE") != "1":
    pytest.skip("the forced failure runs only inside tests/test_failure_bundle.py", allow_module_level=True)

scenarios(str(Path(__file__).with_name("forced.feature")))

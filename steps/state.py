"""What steps leave on a scenario's node for the suite's hooks to read."""
import pytest

from fixtures.aws.checks import BrokerValues

# The chart values an AWS-broker scenario started its broker with (for the diagnosis).
BROKER_VALUES = pytest.StashKey[BrokerValues]()

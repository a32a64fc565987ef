"""What "Ready" means: Ready=True, reason FetchedCatalog, current generation."""
from fixtures.platform.catalog.status import BrokerStatus


def _broker(generation=1, reconciled=1, conditions=()):
    return {
        "metadata": {"name": "aws-sb", "generation": generation},
        "status": {"reconciledGeneration": reconciled, "conditions": list(conditions)},
    }


READY = {"type": "Ready", "status": "True", "reason": "FetchedCatalog", "message": "Successfully fetched catalog entries from broker."}
FAILED = {"type": "Ready", "status": "False", "reason": "ErrorFetchingCatalog", "message": "Error fetching catalog.Error getting broker catalog: connection refused"}


def test_ready_condition_for_the_current_generation_is_ready():
    assert BrokerStatus.from_object(_broker(conditions=[READY])).is_ready


def test_ready_for_an_older_generation_is_not_ready():
    status = BrokerStatus.from_object(_broker(generation=2, reconciled=1, conditions=[READY]))
    assert not status.is_ready
    assert "generation 2, reconciled 1" in status.describe()


def test_ready_true_for_another_reason_is_not_ready():
    odd = dict(READY, reason="SomethingElse")
    assert not BrokerStatus.from_object(_broker(conditions=[odd])).is_ready


def test_no_status_yet_is_not_ready_and_says_so():
    status = BrokerStatus.from_object({"metadata": {"name": "aws-sb", "generation": 1}})
    assert not status.is_ready
    assert "no conditions yet" in status.describe()


def test_failure_reason_is_recognised_and_described():
    # Service Catalog leaves reconciledGeneration at 0 when it never succeeded.
    status = BrokerStatus.from_object(_broker(reconciled=0, conditions=[FAILED]))
    assert status.has_failed_with("ErrorFetchingCatalog")
    assert not status.has_failed_with("FetchedCatalog")
    assert "Ready=False reason=ErrorFetchingCatalog" in status.describe()

"""The broker's catalog against the cluster's classes and plans."""
from fixtures.actors.brokers.osb import Catalog
from fixtures.actors.marketplace.compare import cluster_offerings, compare, difference_table, expected_offerings

CATALOG = Catalog.from_osb(
    {"services": [{"id": "svc-1", "name": "s3", "description": "", "plans": [{"id": "plan-1", "name": "production"}, {"id": "plan-2", "name": "custom"}]}]}
)


def _class(guid, name, broker="aws-sb", removed=False):
    return {"metadata": {"name": guid}, "spec": {"externalID": guid, "externalName": name, "clusterServiceBrokerName": broker}, "status": {"removedFromBrokerCatalog": removed}}


def _plan(guid, name, class_name, broker="aws-sb"):
    return {"metadata": {"name": guid}, "spec": {"externalID": guid, "externalName": name, "clusterServiceBrokerName": broker, "clusterServiceClassRef": {"name": class_name}}}


def test_identical_layers_have_no_differences():
    seen = cluster_offerings([_class("svc-1", "s3")], [_plan("plan-1", "production", "svc-1"), _plan("plan-2", "custom", "svc-1")], "aws-sb")
    assert compare(expected_offerings(CATALOG), seen) == []


def test_a_missing_plan_and_another_brokers_class_are_reported_correctly():
    classes = [_class("svc-1", "s3"), _class("svc-9", "other", broker="someone-else")]
    seen = cluster_offerings(classes, [_plan("plan-1", "production", "svc-1")], "aws-sb")
    differences = compare(expected_offerings(CATALOG), seen)
    assert [(d.offering.plan, d.problem) for d in differences] == [("custom", "missing from the cluster")]
    assert "s3/custom" in difference_table(differences)


def test_an_extra_class_and_a_removed_one():
    classes = [_class("svc-1", "s3"), _class("svc-2", "sqs"), _class("svc-3", "sns", removed=True)]
    plans = [_plan("plan-1", "production", "svc-1"), _plan("plan-2", "custom", "svc-1")]
    differences = compare(expected_offerings(CATALOG), cluster_offerings(classes, plans, "aws-sb"))
    assert [(d.offering.service, d.problem) for d in differences] == [("sqs", "in the cluster but not in the broker's catalog")]

"""The marketplace readers' parsing and the three-layer comparison."""
from fixtures.actors.brokers.osb import Catalog
from fixtures.actors.marketplace.compare import Offering
from fixtures.actors.marketplace.layers import compare_layers, layer_table
from fixtures.actors.marketplace.readers import Listing, parse_svcat_marketplace

SVCAT_OUTPUT = """   CLASS       PLANS                          DESCRIPTION
+----------+------------+-----------------------------------------------------+
  s3         production   Amazon S3 bucket
                          (a mock of the AWS Service
                          Broker's s3 service)
             custom
  dynamodb   hashrange    Amazon DynamoDB table
"""

CATALOG = Catalog.from_osb({"services": [
    {"id": "1", "name": "s3", "plans": [{"id": "11", "name": "production"}, {"id": "12", "name": "custom"}]},
    {"id": "2", "name": "dynamodb", "plans": [{"id": "21", "name": "hashrange"}]},
]})


def test_svcat_marketplace_table_parses_to_service_plan_pairs():
    assert parse_svcat_marketplace(SVCAT_OUTPUT) == {("s3", "production"), ("s3", "custom"), ("dynamodb", "hashrange")}


def test_svcat_marketplace_with_no_offerings_is_empty():
    assert parse_svcat_marketplace("  CLASS   PLANS   DESCRIPTION\n+-------+-------+-------------+\n") == set()


def _cluster(*pairs):
    return {Offering("plan", s, p, f"{s}-{p}", f"{s}-{p}") for s, p in pairs}


def test_all_layers_agreeing_gives_no_rows():
    listing = Listing("svcat marketplace", "svcat marketplace -n x", frozenset(CATALOG.plan_pairs()), "")
    assert compare_layers(CATALOG, _cluster(*CATALOG.plan_pairs()), listing) == []


def test_a_plan_missing_downstream_is_one_row_naming_the_layers():
    cluster = _cluster(("s3", "production"), ("dynamodb", "hashrange"))
    listing = Listing("svcat marketplace", "svcat marketplace -n x", frozenset({("s3", "production"), ("dynamodb", "hashrange"), ("sqs", "fifo")}), "")
    rows = compare_layers(CATALOG, cluster, listing)
    assert [(r.pair, r.present) for r in rows] == [
        (("s3", "custom"), (True, False, False)),
        (("sqs", "fifo"), (False, False, True)),
    ]
    table = layer_table(rows, listing)
    assert "marketplace reader: svcat marketplace" in table
    assert "s3/custom" in table and "MISSING" in table


KF_SERVICES = """2 services can be used in namespace "myspace", use the --service flag to list the plans for a service

Broker       Name   Namespace  Status      Description
mini-broker  mysql             Active      Fully managed MySQL
ns-broker    redis  myspace    Deprecated  Redis
"""
KF_PLANS = """Name   Free  Status  Description
small  true  Active  Small plan
"""


def test_kf_marketplace_output_parses_with_an_empty_namespace_cell():
    from fixtures.actors.marketplace.readers import parse_kf_marketplace

    rows = parse_kf_marketplace(KF_SERVICES)
    assert [(r["BROKER"], r["NAME"], r["NAMESPACE"], r["STATUS"]) for r in rows] == [
        ("mini-broker", "mysql", "", "Active"),
        ("ns-broker", "redis", "myspace", "Deprecated"),
    ]
    assert parse_kf_marketplace(KF_PLANS)[0]["NAME"] == "small"

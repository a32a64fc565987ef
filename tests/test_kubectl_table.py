"""Reading `kubectl get clusterservicebroker` output as the page shows it."""
from fixtures.platform.catalog.status import parse_kubectl_table

PAGE_EXAMPLE = """NAME                URL                                                                 STATUS   AGE
aws-servicebroker   https://aws-servicebroker-aws-servicebroker.aws-sb.svc.cluster.local   Ready    3d
"""


def test_the_pages_example_output_parses_to_its_columns():
    [row] = parse_kubectl_table(PAGE_EXAMPLE)
    assert row == {
        "NAME": "aws-servicebroker",
        "URL": "https://aws-servicebroker-aws-servicebroker.aws-sb.svc.cluster.local",
        "STATUS": "Ready",
        "AGE": "3d",
    }


def test_an_empty_status_before_the_first_reconcile_stays_empty():
    output = "NAME     URL                      STATUS   AGE\naws-sb   http://127.0.0.1:1234             1s\n"
    [row] = parse_kubectl_table(output)
    assert row["STATUS"] == "" and row["AGE"] == "1s"


def test_a_failure_reason_shows_in_the_status_column():
    output = "NAME     URL                     STATUS                 AGE\naws-sb   http://127.0.0.1:1234   ErrorFetchingCatalog   5s\n"
    assert parse_kubectl_table(output)[0]["STATUS"] == "ErrorFetchingCatalog"


def test_no_output_is_no_rows():
    assert parse_kubectl_table("") == []


def test_headers_of_several_words_are_one_column():
    """`kf services` (Kf v0.2.0): tabwriter padding 2, headers "Bound Apps" and "Last Operation", an empty cell."""
    output = (
        "Name    Service  Plan      Bound Apps  Last Operation           Broker\n"
        "orders  sqs      standard              ProvisionedSuccessfully  aws-sb-1\n"
    )
    assert parse_kubectl_table(output) == [
        {"NAME": "orders", "SERVICE": "sqs", "PLAN": "standard", "BOUND APPS": "", "LAST OPERATION": "ProvisionedSuccessfully", "BROKER": "aws-sb-1"}
    ]


def test_the_pages_kubectl_get_on_a_cluster_with_kf2_asks_service_catalog_by_its_group_and_says_so(tmp_path) -> None:
    # What kubectl answered on the embedded cluster once Kf 2.11's CRDs were installed beside Service Catalog's.
    from fixtures.platform.catalog.registration import page_kubectl_get_broker
    from fixtures.core.commands import Cli

    kubectl = tmp_path / "kubectl"
    kubectl.write_text(
        "#!/bin/sh\n"
        'if [ "$2" = ClusterServiceBroker ]; then echo \'Error from server (NotFound): clusterservicebrokers.kf.dev "aws-sb-1" not found\' >&2; exit 1; fi\n'
        'echo "NAME       URL                STATUS   AGE"; echo "aws-sb-1   https://10.0.0.1   Ready    5s"\n'
    )
    kubectl.chmod(0o755)
    output, findings = page_kubectl_get_broker(Cli("kubectl", kubectl, None, tmp_path / "commands.log"), "aws-sb-1")
    assert parse_kubectl_table(output)[0]["STATUS"] == "Ready"
    assert len(findings) == 1 and "clusterservicebrokers.servicecatalog.k8s.io aws-sb-1" in findings[0], findings
    assert "get clusterservicebrokers.servicecatalog.k8s.io aws-sb-1" in (tmp_path / "commands.log").read_text()

"""Kf 2.11's pure logic: reading its CLI's listings and its brokers' status,
what of its config/ is applied (and adapted), the foreign CRDs, and the
three-layer comparison."""
import os
from pathlib import Path

import pytest

from fixtures.actors.kf2.brokers import KfBroker, KfBrokerStatus, compare_layers, layer_table
from fixtures.actors.kf2.cli import parse_kf2_services, parse_kf2_table, plans_of, services_of
from fixtures.actors.kf2.manifests import NO_GCP_PROJECT, aggregate_cluster_roles, foreign_crd, kf_objects, parse_go_mod_replaces, pinned_version
from fixtures.actors.kf2.services import KfObjectStatus, binding_name

# The sources folder the run uses (ASB_CONFORMANCE_SOURCES, as make and CI set it), else beside the checkout.
KF_TREE = Path(os.environ.get("ASB_CONFORMANCE_SOURCES") or Path(__file__).resolve().parents[2] / "shared" / "sources") / "kf-v2.11.32"

MARKETPLACE = """Listing services that can be used in Space "asb-1a2b3c", use the --service flag to list the plans for a service

Broker      Name      Namespace   Description
asb-1a2b3c  dynamodb              Amazon DynamoDB, a key-value store
asb-1a2b3c  s3                    Amazon S3 object storage
other       s3        team-a      Another broker's S3
asb-9z9z9z  sqs       asb-1a2b3c  Amazon SQS in the space
"""

PLANS = """Broker      Name        Free   Description
asb-1a2b3c  production  true   S3 Bucket pre-configured with production best practices
asb-1a2b3c  custom      false  S3 Bucket
other       default     true   not ours
"""


def test_the_marketplace_listing_is_read_by_column_and_broker():
    rows = parse_kf2_table(MARKETPLACE)
    assert [r["BROKER"] for r in rows] == ["asb-1a2b3c", "asb-1a2b3c", "other", "asb-9z9z9z"]
    assert services_of(rows, "asb-1a2b3c") == ["dynamodb", "s3"]
    assert services_of(rows, "asb-9z9z9z", "asb-1a2b3c") == ["sqs"]
    assert services_of(rows, "asb-9z9z9z") == []  # a namespaced broker is not a cluster one of the same name
    assert rows[0]["DESCRIPTION"] == "Amazon DynamoDB, a key-value store"


def test_the_plans_of_one_service_are_those_of_the_broker_asked_about():
    assert plans_of(parse_kf2_table(PLANS), "asb-1a2b3c") == {"production", "custom"}


def test_a_listing_with_no_broker_has_no_rows():
    empty = 'Listing services that can be used in Space "x", use the --service flag to list the plans for a service\n\nBroker  Name  Namespace  Description\n'
    assert parse_kf2_table(empty) == []
    assert parse_kf2_table("") == []


def _broker(status: dict, generation: int = 1) -> dict:
    return {"metadata": {"name": "b", "generation": generation}, "status": status}


def test_a_broker_is_ready_only_for_its_current_generation():
    ready = {"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "True"}], "services": []}
    assert KfBrokerStatus.of(_broker(ready)).ready == "True"
    assert KfBrokerStatus.of(_broker(ready, generation=2)).ready == "Unknown"
    assert KfBrokerStatus.of(_broker({})).ready == "Unknown"


def test_a_failed_broker_describes_its_condition():
    failed = {
        "observedGeneration": 1,
        "conditions": [{"type": "Ready", "status": "False", "reason": "GettingCatalog", "message": "Status: 401; ErrorMessage: <nil>"}],
    }
    status = KfBrokerStatus.of(_broker(failed))
    assert status.ready == "False"
    assert "Ready=False reason=GettingCatalog" in status.describe() and "401" in status.describe()


def test_status_services_become_service_plan_pairs():
    services = [{"displayName": "s3", "plans": [{"displayName": "production"}, {"displayName": "custom"}]}, {"displayName": "sqs", "plans": []}]
    status = KfBrokerStatus.of(_broker({"services": services}))
    assert status.pairs() == {("s3", "production"), ("s3", "custom")}


def test_broker_kinds_follow_their_scope():
    assert KfBroker("b").kind == "ClusterServiceBroker" and KfBroker("b").plural == "clusterservicebrokers"
    assert KfBroker("b", "space").kind == "ServiceBroker" and "in space" in str(KfBroker("b", "space"))


def test_the_layer_table_names_what_is_missing_where():
    rows = compare_layers({("s3", "production"), ("sqs", "standard")}, {("s3", "production")}, {("s3", "production")})
    assert [(r.pair, r.present) for r in rows] == [(("sqs", "standard"), (True, False, False))]
    table = layer_table(rows, "kf marketplace --space x [-s SERVICE]")
    assert "sqs/standard" in table and table.count("MISSING") == 2 and "kf.dev status.services" in table
    assert compare_layers({("a", "b")}, {("a", "b")}, {("a", "b")}) == []


GO_MOD = """module github.com/google/kf/v2

require (
\tgithub.com/tektoncd/pipeline v0.35.0
\tistio.io/api v0.0.0-20200911191701-0dc35ad5c478
)

replace (
\tgithub.com/google/go-cmp => github.com/google/go-cmp v0.3.0 // pinned
\tk8s.io/sample-apiserver => k8s.io/sample-apiserver v0.0.0-20190528110419-48d5cc0538c7
)

replace github.com/tektoncd/pipeline => github.com/tektoncd/pipeline v0.36.0

replace github.com/spf13/cobra => ./third_party/forked/cobra
"""


def test_go_mod_replaces_single_lines_and_blocks():
    replaces = parse_go_mod_replaces(GO_MOD)
    assert replaces["github.com/google/go-cmp"] == ("github.com/google/go-cmp", "v0.3.0")
    assert replaces["github.com/tektoncd/pipeline"] == ("github.com/tektoncd/pipeline", "v0.36.0")
    assert replaces["github.com/spf13/cobra"] == ("./third_party/forked/cobra", None)


def test_the_pinned_version_is_the_replace_else_the_require():
    assert pinned_version(GO_MOD, "github.com/tektoncd/pipeline") == "v0.36.0"
    assert pinned_version(GO_MOD, "istio.io/api") == "v0.0.0-20200911191701-0dc35ad5c478"
    with pytest.raises(ValueError):
        pinned_version(GO_MOD, "example.test/absent")


def test_aggregated_cluster_roles_get_the_rules_of_the_roles_they_select():
    admin = {"kind": "ClusterRole", "metadata": {"name": "kf-admin"}, "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"kf.dev/controller": "true"}}]}, "rules": []}
    core = {"kind": "ClusterRole", "metadata": {"name": "kf-core", "labels": {"kf.dev/controller": "true"}}, "rules": [{"apiGroups": ["kf.dev"], "resources": ["*"], "verbs": ["get"]}]}
    other = {"kind": "ClusterRole", "metadata": {"name": "x"}, "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["delete"]}]}
    filled = aggregate_cluster_roles([admin, core, other])
    assert filled[0]["rules"] == core["rules"] and "aggregationRule" not in filled[0]
    assert admin["rules"] == [] and filled[1:] == [core, other]


def test_a_foreign_crd_is_picked_by_name_without_its_conversion_webhook():
    docs = [
        {"kind": "CustomResourceDefinition", "metadata": {"name": "a.example"}, "spec": {}},
        {"kind": "CustomResourceDefinition", "metadata": {"name": "taskruns.tekton.dev"}, "spec": {"conversion": {"strategy": "Webhook"}, "group": "tekton.dev"}},
    ]
    crd = foreign_crd(docs, "taskruns.tekton.dev")
    assert "conversion" not in crd["spec"] and crd["spec"]["group"] == "tekton.dev"
    assert "conversion" in docs[1]["spec"]
    with pytest.raises(ValueError):
        foreign_crd(docs, "virtualservices.networking.istio.io")


@pytest.mark.skipif(not KF_TREE.is_dir(), reason=f"Kf's source tree is not at {KF_TREE}")
def test_kf_config_as_applied_here_reaches_no_google_service():
    applied = kf_objects(KF_TREE, "v2.11.32")
    by_name = {(o["kind"], o["metadata"]["name"]): o for o in applied.objects}
    text = repr(applied.objects)
    assert "VERSION_PLACEHOLDER" not in text
    observability = by_name[("ConfigMap", "config-observability")]["data"]
    assert observability["metrics.backend-destination"] == observability["metrics.request-metrics-backend-destination"] == "none"
    secrets = by_name[("ConfigMap", "config-secrets")]["data"]
    assert secrets["wi.googleServiceAccount"] == "" and secrets["wi.googleProjectID"] == NO_GCP_PROJECT
    assert by_name[("Namespace", "kf")]["metadata"]["labels"]["app.kubernetes.io/version"] == "v2.11.32"
    assert by_name[("ClusterRole", "kf-admin")]["rules"], "kf-admin must carry kf-core's rules"
    assert ("CustomResourceDefinition", "clusterservicebrokers.kf.dev") in by_name
    assert all(o["kind"] != "Deployment" for o in applied.objects)


def test_a_password_that_starts_with_a_dash_reaches_kf_as_the_password(tmp_path):
    """token_urlsafe starts with "-" once in 64: kf must not read it as flags."""
    import pytest

    from fixtures.actors.kf2.cli import Kf2Cli
    from fixtures.platform.toolchain import Toolchain
    from fixtures.platform.toolchain.sources import sources_dir_from

    try:
        binary = Toolchain(profiles=("default", "kf2"), sources_dir=sources_dir_from(None)).path("kf2")
    except Exception as exc:  # not built here: say why
        pytest.skip(f"kf2 is not built ({exc})")
    if not binary.exists():
        pytest.skip(f"kf2 is not built ({binary} missing)")
    kubeconfig = tmp_path / "kubeconfig"  # a server nothing listens on: kf fails after parsing its arguments
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\n"
        "contexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\nusers: [{name: u, user: {token: x}}]\n"
    )
    kf = Kf2Cli(binary, kubeconfig, tmp_path / "commands.log", tmp_path)
    for space in (None, "s"):
        said = kf.create_service_broker("b", "u", "-eabc", "http://127.0.0.1:1", space).stderr
        assert "unknown shorthand flag" not in said and "connection refused" in said, said


def test_kf_services_rows_are_read_by_column_after_kfs_own_lines():
    output = (
        "Listing services in Space: ns-1\n\n"
        "Name    Type  ClassName  PlanName  Age  Ready  Reason\n"
        "orders  osb   sqs        standard  70s  True   \n"
        "failed  osb   sqs        standard  9s   False  ProvisionFailed\n"
    )
    rows = {row["NAME"]: row for row in parse_kf2_services(output)}
    assert rows["orders"]["READY"] == "True" and rows["orders"]["REASON"] == ""
    assert rows["failed"]["READY"] == "False" and rows["failed"]["REASON"] == "ProvisionFailed"
    assert parse_kf2_services("No services found\n") == []


def test_a_binding_is_named_as_kf_names_an_apps_binding_and_its_status_read():
    assert binding_name("shop", "orders") == "binding-shop-orders"  # v1alpha1.MakeServiceBindingName
    status = KfObjectStatus.of({
        "metadata": {"name": "binding-shop-orders", "uid": "u-1", "generation": 2},
        "status": {"observedGeneration": 2, "credentialsSecretRef": {"name": "s"}, "conditions": [
            {"type": "Ready", "status": "Unknown", "reason": "BackingResourceNotReady", "message": "waiting"},
        ]},
    })
    assert status.uid == "u-1" and status.ready is not None and status.ready.status == "Unknown"
    assert "Ready=Unknown reason=BackingResourceNotReady message='waiting'" in status.describe()
    assert status.raw["credentialsSecretRef"]["name"] == "s"


def test_the_controllers_fatal_line_is_the_first_thing_its_exit_says(tmp_path):
    from fixtures.actors.kf2.controller import _why_it_ended

    log = tmp_path / "kf2-controller.log"
    log.write_text(
        '{"severity":"INFO","message":"Profiling enabled: false"}\n'
        '{"severity":"EMERGENCY","message":"Version check failed","error":"kubernetes version \\"1.19.16\\" is not compatible, need at least \\"1.21.0-0\\""}\n'
        "not json\n"
    )
    assert _why_it_ended(log) == ': Version check failed: kubernetes version "1.19.16" is not compatible, need at least "1.21.0-0"'
    assert _why_it_ended(tmp_path / "absent.log") == ""

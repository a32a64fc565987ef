"""How the catalog chart is adapted to run its components as local processes."""
import base64

from fixtures.platform.catalog.chart import point_webhooks_at, replace_flag, split_rendered


def test_each_webhook_service_becomes_a_loopback_url_with_our_ca():
    configuration = {"webhooks": [{"clientConfig": {"caBundle": "Y2hhcnQ=", "service": {"name": "catalog-webhook", "namespace": "catalog", "path": "/mutating-clusterservicebrokers"}}}]}
    adapted = point_webhooks_at(configuration, "https://127.0.0.1:9443", b"OUR CA")
    client_config = adapted["webhooks"][0]["clientConfig"]
    assert client_config == {"url": "https://127.0.0.1:9443/mutating-clusterservicebrokers", "caBundle": base64.b64encode(b"OUR CA").decode()}


def test_replace_flag_handles_both_spellings_and_absence():
    args = ["controller-manager", "--secure-port", "8444", "--cluster-id-configmap-namespace=catalog", "-v", "4"]
    args = replace_flag(args, "--secure-port", "1234")
    args = replace_flag(args, "--cluster-id-configmap-namespace", "other")
    args = replace_flag(args, "--bind-address", "127.0.0.1")
    assert args == ["controller-manager", "-v", "4", "--secure-port=1234", "--cluster-id-configmap-namespace=other", "--bind-address=127.0.0.1"]


def test_rendered_objects_are_sorted_by_what_happens_to_them():
    docs = [
        {"kind": "CustomResourceDefinition", "metadata": {"name": "a"}},
        {"kind": "Deployment", "metadata": {"name": "catalog-catalog-webhook"}},
        {"kind": "Service", "metadata": {"name": "catalog-catalog-webhook"}},
        {"kind": "ValidatingWebhookConfiguration", "metadata": {"name": "v"}},
        None,
    ]
    rendered = split_rendered(docs)
    assert [d["metadata"]["name"] for d in rendered.applied] == ["a"]
    assert list(rendered.deployments) == ["catalog-catalog-webhook"]
    assert rendered.skipped == ["Service/catalog-catalog-webhook"]
    assert len(rendered.webhook_configurations) == 1

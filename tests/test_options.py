"""Option validation: each bad value is refused with one actionable line."""
import pytest

from fixtures.errors import SuiteError
from fixtures.options import parse_cluster, parse_seconds


def test_embedded_is_accepted():
    assert parse_cluster("embedded").kind == "embedded"


def test_kubeconfig_needs_an_existing_file(tmp_path):
    config = tmp_path / "config"
    config.write_text("apiVersion: v1\n")
    assert parse_cluster(f"kubeconfig={config}").kubeconfig == config
    with pytest.raises(SuiteError, match="no such file"):
        parse_cluster(f"kubeconfig={tmp_path / 'missing'}")
    with pytest.raises(SuiteError, match="needs a path"):
        parse_cluster("kubeconfig")


def test_kind_says_it_is_not_available_yet():
    with pytest.raises(SuiteError, match="not available yet"):
        parse_cluster("kind")


def test_unknown_value_lists_the_choices():
    with pytest.raises(SuiteError, match="choose one of embedded, kind, kubeconfig=PATH"):
        parse_cluster("minikube")


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_timeouts_must_be_positive_numbers(value):
    with pytest.raises(SuiteError, match="positive number of seconds"):
        parse_seconds("--ready-timeout", value)


def test_a_good_timeout_is_a_float():
    assert parse_seconds("--ready-timeout", "2.5") == 2.5

"""Option validation: each bad value is refused with one actionable line."""
import pytest

from fixtures.core.errors import SuiteError
from fixtures.profiles.options import parse_cluster, parse_seconds


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


def test_kind_creates_a_cluster_or_reuses_one_by_name():
    assert parse_cluster("kind").kind == "kind" and parse_cluster("kind").name is None
    assert parse_cluster("kind=asb-dev").name == "asb-dev"
    assert str(parse_cluster("kind=asb-dev")) == "kind=asb-dev"
    with pytest.raises(SuiteError, match="lower-case letters, digits and '-'"):
        parse_cluster("kind=Not_A_Name")


def test_unknown_value_lists_the_choices():
    with pytest.raises(SuiteError, match="choose one of embedded, kind, kind=NAME, kubeconfig=PATH"):
        parse_cluster("minikube")


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_timeouts_must_be_positive_numbers(value):
    with pytest.raises(SuiteError, match="positive number of seconds"):
        parse_seconds("--ready-timeout", value)


def test_a_good_timeout_is_a_float():
    assert parse_seconds("--ready-timeout", "2.5") == 2.5

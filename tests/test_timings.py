"""timings.json's account of Service Catalog's client rate limit."""
from pathlib import Path

from fixtures.reporting.timings import client_throttling


def test_the_controllers_throttled_requests_are_counted_with_their_wait_and_span(tmp_path: Path) -> None:
    log = tmp_path / "service-catalog-controller-manager.log"
    log.write_text(
        "I1130 02:10:12.302948    8571 feature_gate.go:243] feature gates: &{map[]}\n"
        "I1130 02:11:00.000000    8571 request.go:557] Throttling request took 191.598974ms, request: PUT:https://127.0.0.1:1/apis/x/status\n"
        "I1130 02:11:30.500000    8571 request.go:557] Throttling request took 1.5s, request: POST:https://127.0.0.1:1/apis/x\n"
    )
    assert client_throttling(log) == {"requests_held_back": 2, "seconds_waited": 1.7, "first_to_last_seconds": 30.5}


def test_a_run_without_the_controllers_log_says_nothing_of_it(tmp_path: Path) -> None:
    assert client_throttling(tmp_path / "absent.log") == {}
    assert client_throttling(None) == {}


def test_several_control_planes_each_have_their_own_clients_account(tmp_path: Path) -> None:
    from fixtures.reporting.timings import timings_record

    line = "I1130 02:11:00.000000    8571 request.go:557] Throttling request took 1s, request: PUT:https://127.0.0.1:1/apis/x/status\n"
    for plane in ("cp0", "cp1"):
        (tmp_path / plane).mkdir()
        (tmp_path / plane / "controller.log").write_text(line)
    logs = {"": tmp_path / "absent.log", "cp0": tmp_path / "cp0" / "controller.log", "cp1": tmp_path / "cp1" / "controller.log"}
    one = {"requests_held_back": 1, "seconds_waited": 1.0, "first_to_last_seconds": 0.0}
    assert timings_record([], {}, 1.0, 6, logs)["service_catalog_client_throttling"] == {"cp0": one, "cp1": one}
    assert timings_record([], {}, 1.0, 6, {"": tmp_path / "cp0" / "controller.log"})["service_catalog_client_throttling"] == one

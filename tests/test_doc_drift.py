"""doc-drift.md's verdict per page step follows what the run did with it."""
from fixtures.reporting.drift import ScenarioResult, drift_rows


def _row(results, step: str) -> dict[str, str]:
    return next(r for r in drift_rows(results) if r["step"] == step)


def test_a_step_whose_scenarios_were_all_skipped_cannot_run_here_and_says_why():
    results = [ScenarioResult("method1", "install", "skipped", "Method 1 needs the AWS Service Broker's chart and image: 403")]
    row = _row(results, "5")
    assert row["verdict"] == "cannot run here" and "403" in row["how"]


def test_a_step_with_no_scenario_in_the_run_is_not_run():
    assert _row([], "5")["verdict"] == "not run"


def test_a_failed_scenario_makes_its_step_fail_with_its_message():
    results = [ScenarioResult("verify", "ready", "failed", "not Ready: ErrorFetchingCatalog")]
    row = _row(results, "8")
    assert row["verdict"] == "fails" and "ErrorFetchingCatalog" in row["how"]


def test_kf2_step_1_says_how_the_profile_ran_the_controller():
    from fixtures.profiles import EmbeddedProfile, KindProfile

    results = [ScenarioResult("kf2", "test_kf_create_service_broker_registers", "passed")]
    for profile in (EmbeddedProfile, KindProfile):
        rows = drift_rows(results, profile.kf2_controller_runs)
        step1 = next(r for r in rows if r["kf"] != rows[0]["kf"] and r["step"] == "1")
        assert step1["verdict"] == "translated" and profile.kf2_controller_runs in step1["how"]
    assert "pod" in KindProfile.kf2_controller_runs and "process" in EmbeddedProfile.kf2_controller_runs


def test_the_journey_row_states_why_the_real_broker_journey_did_not_run():
    from fixtures.actors.aws.broker_templates import AWS_BROKER_UNAVAILABLE

    results = [
        ScenarioResult("journey", "Create, bind, unbind and delete a service", "passed"),
        ScenarioResult("journey", "The real AWS Service Broker on emulated AWS", "skipped", AWS_BROKER_UNAVAILABLE),
    ]
    row = _row(results, "after 10")
    assert row["verdict"] == "translated" and AWS_BROKER_UNAVAILABLE in row["how"] and "AWSSBInjectedIAMUserCreator" in row["how"]


def test_a_failed_journey_fails_its_row():
    results = [ScenarioResult("journey", "Create, bind, unbind and delete a service", "failed", "orders: not Ready")]
    assert _row(results, "after 10")["verdict"] == "fails"


def test_method1_on_the_real_broker_turns_the_chart_steps_into_translations():
    results = [ScenarioResult("method1", "The page's helm install registers a Ready ClusterServiceBroker at the chart's URL", "passed")]
    for step in ("4", "5", "6", "7", "8", "10"):
        row = _row(results, step)
        assert row["verdict"] in ("translated", "executed literally") and "Not run here" not in row["how"], (step, row)
    assert "extraEnv" in _row(results, "5")["how"]


def test_a_step_that_ran_in_part_names_the_scenarios_that_did_not():
    results = [
        ScenarioResult("chart", "upstream's chart installs", "passed"),
        ScenarioResult("method1", "helm install", "skipped", "Method 1 runs the broker in a pod; use --cluster=kind"),
    ]
    row = _row(results, "5")
    assert row["verdict"] == "translated" and "Not run here: method1.feature: Method 1 runs the broker in a pod" in row["how"]

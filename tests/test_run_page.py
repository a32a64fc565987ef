"""The logic behind the run's pages, on records made here: where a scenario's
time goes, the verdict line, failures first, the 13 page steps, the index's
trend and changing scenarios, JUnit names in words, the page's self-containment."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from dataclasses import asdict
from pathlib import Path

import pytest

from fixtures.reporting.charts import bar_chart, line_chart, nice_step
from fixtures.reporting.drift import ScenarioResult, drift_rows
from fixtures.reporting.junit_names import TEST_ID_PROPERTY, name_junit_tests
from fixtures.reporting.run_folder import RunFolder
from fixtures.reporting.run_index import run_index, write_run_index
from fixtures.reporting.run_page import render_run_page, run_page, verdict_line
from fixtures.reporting.scenario_record import RECORDS_FOLDER, ScenarioRecord, StepRecord, first_sentence, load_records, record_file_name
from fixtures.reporting.timing import phase_times
from fixtures.core.redaction import register_secret


def record(name: str, outcome: str = "passed", feature: str = "verify", started: float = 1.0, steps: list[StepRecord] | None = None, **fields) -> ScenarioRecord:
    return ScenarioRecord(
        node_id=f"features/test_features.py::test_{name}", feature=f"Feature {feature}", feature_file=feature, name=name,
        outcome=outcome, started=started, steps=steps or [StepRecord("Given", "given", "a cluster", "passed", 1.0)], **fields,
    )


def page_steps() -> list[StepRecord]:
    return [
        StepRecord("Given", "given", "a Kubernetes cluster with Service Catalog installed", "passed", 2.0),
        StepRecord("And", "given", "a Secret holding the broker's credentials", "passed", 0.5),
        StepRecord("When", "when", "I apply the page's ClusterServiceBroker pointing at the broker", "passed", 0.25),
        StepRecord("Then", "then", "the ClusterServiceBroker becomes Ready", "passed", 3.0),
        StepRecord("And", "then", 'kubectl get ClusterServiceBroker prints STATUS "Ready"', "passed", 0.75),
    ]


def test_time_splits_into_set_up_registration_to_ready_assertions_and_teardown():
    times = phase_times(record("a", steps=page_steps(), setup_seconds=1.0, call_seconds=6.6, teardown_seconds=2.0))
    assert times.setup == 3.5 and times.registration == 3.25 and times.teardown == 2.0
    assert times.assertions == pytest.approx(0.75 + 0.1)  # the call's time outside any step counts with the assertions


def test_without_a_wait_for_state_the_registration_is_the_when_steps_and_without_a_when_there_is_none():
    steps = page_steps()
    steps[3] = StepRecord("Then", "then", "kf create-service-broker says Success", "passed", 3.0)
    assert phase_times(record("a", steps=steps, call_seconds=6.5)).registration == 0.25
    givens_and_thens = [s for s in page_steps() if s.kind != "when"]
    times = phase_times(record("b", steps=givens_and_thens, call_seconds=6.25))
    assert times.registration == 0 and times.setup == 2.5 and times.assertions == 3.75


def test_the_verdict_names_what_failed_and_never_calls_an_interrupted_or_empty_run_passed():
    failed = [record("broken", "failed"), record("fine")]
    assert verdict_line(failed, 1) == ("FAILED: 1 of 2 scenarios failed (broken)", "failed")
    assert verdict_line([record("fine"), record("later", "skipped")], 0) == ("PASSED: 1 passed, 1 skipped, each with its reason", "passed")
    assert verdict_line([record("fine")], 2)[1] == "other" and "interrupted" in verdict_line([record("fine")], 2)[0]
    assert verdict_line([record("fine")], 1)[0].startswith("NOT QUALIFIED: the run had a failure outside the scenarios")
    assert verdict_line([record("later", "skipped")], 0)[0].startswith("NOT QUALIFIED: no scenario passed")


def test_the_first_sentence_of_a_failure_is_one_line():
    assert first_sentence("AssertionError: broker x: not within 10s; last seen: y\nmore\n") == "broker x: not within 10s; last seen: y"
    long = "The broker answered 500 to every catalog request it was sent. Then it stopped answering altogether, which nobody noticed."
    assert first_sentence(long) == "The broker answered 500 to every catalog request it was sent."


def make_run(reports: Path, run_id: str, records: list[ScenarioRecord], exit_status: int = 0, seconds: float = 60.0) -> Path:
    run = RunFolder(reports / run_id)
    (run.path / "logs").mkdir(parents=True)
    for r in records:
        run.write_json(f"{RECORDS_FOLDER}/{record_file_name(r.node_id)}", asdict(r))
    results = [ScenarioResult(r.feature_file, r.name, r.outcome, r.sentence) for r in records]
    run.write_json("doc-drift.json", drift_rows(results))
    tools = [{"name": "kube-apiserver", "source": "built", "version": "Kubernetes v1.21.14", "sha256": "ab" * 32, "path": "/x"}]
    run.write_json("evidence.json", {"run_id": run_id, "duration_seconds": seconds, "exit_status": exit_status, "tools": tools, "options": {"cluster": "embedded"},
                                     "command": "cd /repo && .venv/bin/pytest features/", "broker": "the suite's mock OSB broker", "aws": "moto"})
    return run.path


def test_the_page_puts_failures_first_and_shows_the_pages_13_steps(tmp_path: Path):
    records = [
        record("fine", feature="verify", started=1, steps=page_steps(), call_seconds=7),
        record("skipped one", "skipped", feature="method1", started=2, sentence="needs a cluster whose pods run"),
        record("broken", "failed", feature="troubleshooting", started=3, sentence="broker x: not within 10s", bundle="failures/broken"),
    ]
    page = run_page(make_run(tmp_path, "20260101T000000Z-aaaa", records, exit_status=1))
    assert [r.name for r in page.failing] == ["broken"]
    assert [g.file for g in page.features] == ["troubleshooting", "verify", "method1"]
    assert [s.number for s in page.page_steps] == [str(n) for n in range(1, 14)]
    assert {s.verdict for s in page.page_steps if s.number in ("8", "9")} == {"fails", "executed literally"}
    assert [b.label for b in page.chart.bars] == ["fine", "broken"]  # what ran; a skip took no time worth drawing
    assert dict(page.platform)["Kubernetes"] == "Kubernetes v1.21.14"
    assert [title for title, _ in page.later_groups] == ["After the page, on Kf v0.2.0: a developer's next steps", "The steps whose meaning changes on Kf v2.11.32"]


def test_the_page_is_self_contained_and_escapes_what_scenarios_say(tmp_path: Path):
    hostile = record("<script>alert(1)</script>", "failed", sentence='<img src="https://example.com/x.png">', bundle="failures/x")
    html = render_run_page(make_run(tmp_path, "20260101T000000Z-aaaa", [hostile], exit_status=1))
    assert "<script>alert" not in html and "&lt;script&gt;" in html and '<img src="https' not in html
    # Nothing that makes the browser fetch: no script, no external stylesheet or image, links only to files beside it.
    tags = Tags()
    tags.feed(html)
    assert not [t for t in tags.seen if t[0] in ("script", "link", "img", "iframe", "object")], tags.seen
    assert all(not re.match(r"^[a-z]+:", href) for _, href in tags.hrefs) and ("a", "failures/x/failure.txt") in tags.hrefs, tags.hrefs
    assert "url(" not in html and "@import" not in html and "default-src 'none'" in html


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, dict[str, str | None]]] = []
        self.hrefs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))
        self.hrefs += [(tag, value or "") for name, value in attrs if name in ("href", "src")]


def test_a_secret_never_reaches_the_page_or_the_index(tmp_path: Path):
    register_secret("CANARYpage7x")
    leaky = record("leaky", "failed", sentence="password CANARYpage7x was refused")
    run = make_run(tmp_path, "20260101T000000Z-aaaa", [leaky], exit_status=1)
    RunFolder(run).write_text("evidence.html", render_run_page(run))
    index = write_run_index(tmp_path)
    assert "CANARYpage7x" not in (run / "evidence.html").read_text() + index.read_text()
    assert "[REDACTED]" in (run / "evidence.html").read_text()


def test_the_index_lists_runs_newest_first_with_a_trend_and_the_scenarios_that_changed(tmp_path: Path):
    make_run(tmp_path, "20260101T000000Z-aaaa", [record("flaky"), record("steady")], seconds=100)
    make_run(tmp_path, "20260102T000000Z-bbbb", [record("flaky", "failed"), record("steady")], exit_status=1, seconds=130)
    make_run(tmp_path, "20260103T000000Z-cccc", [record("flaky"), record("steady")], seconds=90)
    (tmp_path / "20260104T000000Z-dddd").mkdir()  # still running: no evidence.json yet
    index = run_index(tmp_path)
    assert [r.run_id for r in index.runs] == ["20260103T000000Z-cccc", "20260102T000000Z-bbbb", "20260101T000000Z-aaaa"]
    assert [p.value for p in index.passes.points] == [2, 1, 2] and [p.value for p in index.durations.points] == [100, 130, 90]
    assert [(c.title, c.outcomes) for c in index.changing] == [("Feature verify: flaky", ["passed", "failed", "passed"])]
    assert "20260102T000000Z-bbbb/evidence.html" in write_run_index(tmp_path).read_text()


def test_charts_scale_to_the_longest_bar_and_round_their_axes():
    chart = bar_chart([("a", (1.0, 2.0, 1.0, 0.0)), ("b", (8.0, 0.0, 0.0, 0.0))])
    assert chart.bars[1].end == pytest.approx(chart.label_width + 520) and chart.bars[0].end == pytest.approx(chart.label_width + 260)
    assert [t.label for t in chart.ticks] == ["0", "2", "4", "6", "8"]
    assert [nice_step(v) for v in (7, 23, 480)] == [2, 5, 100]
    line = line_chart("passes", "passed", [("r1", 3), ("r2", 5)])
    assert line.points[0].y > line.points[1].y and len(line.polyline.split()) == 2


def test_junit_names_become_the_scenarios_words_and_keep_the_function_id(tmp_path: Path):
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">'
        '<testcase classname="features.test_features" name="test_a_broker_url_nothing_listens_on_is_not_ready" time="1">'
        '<properties><property name="scenario" value="Verify: A broker URL nothing listens on is not Ready"/></properties></testcase>'
        '<testcase classname="tests.test_x" name="test_own_logic" time="1"/></testsuite></testsuites>'
    )
    assert name_junit_tests(junit) == 1
    cases = list(ET.parse(junit).iter("testcase"))
    assert [c.get("name") for c in cases] == ["Verify: A broker URL nothing listens on is not Ready", "test_own_logic"]
    assert {p.get("name"): p.get("value") for p in cases[0].iter("property")}[TEST_ID_PROPERTY] == "test_a_broker_url_nothing_listens_on_is_not_ready"


def test_records_are_read_back_in_the_order_the_scenarios_started(tmp_path: Path):
    run = make_run(tmp_path, "20260101T000000Z-aaaa", [record("second", started=5), record("first", started=2)])
    assert [r.name for r in load_records(run)] == ["first", "second"]
    assert json.loads((run / "evidence.json").read_text())["command"].startswith("cd /repo")

"""The run's pages as a reader sees them, in a real browser: evidence.html and
reports/index.html of real runs (a forced failure beside passing and skipped
scenarios, then a passing run) opened in Debian's headless Chromium. Checked:
the verdict line, the page's 13 step verdicts (one opened), every scenario's
name and status as JUnit records them, the failing scenario first with its
sentence and a bundle link that opens its failure.txt, the charts drawn, no
request to any other origin, no canary secret; and --allure's results."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fixtures.reporting.browser import CHROMIUM_PACKAGE, Chromium, Tab, find_chromium
from tests.conftest import CANARY, SuiteRun, run_with_canary

VERDICTS = {"executed literally", "translated", "fails", "fails as written (known drift)", "cannot run here", "not run"}
PASSING_SELECTION = "the_pages_clusterservicebroker_becomes_ready or every_offering_of_the_broker"

pytestmark = pytest.mark.skipif(
    find_chromium() is None,
    reason=f"no Chromium on this machine: install Debian's {CHROMIUM_PACKAGE} (apt-get install {CHROMIUM_PACKAGE}; `make setup` does it as root)",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    with Chromium(tmp_path_factory.mktemp("chromium") / "chromium.log") as chromium:
        yield chromium


@pytest.fixture(scope="module")
def passing_run(forced_failure_run: SuiteRun) -> SuiteRun:
    """A second real run into the same reports folder: a passing one, so the index has a trend."""
    return run_with_canary(forced_failure_run.reports, "features/", "-k", PASSING_SELECTION, "--allure", timeout=600)


def junit_outcomes(run: Path) -> dict[str, str]:
    """Scenario words -> outcome, as the run's JUnit file says (an independent record)."""
    outcomes = {}
    for case in ET.parse(run / "junit.xml").iter("testcase"):
        outcome = "failed" if case.find("failure") is not None or case.find("error") is not None else "skipped" if case.find("skipped") is not None else "passed"
        outcomes[case.get("name", "")] = outcome
    return outcomes


def shown_scenarios(tab: Tab) -> list[dict]:
    return tab.evaluate("""[...document.querySelectorAll('#scenarios .scenario')].map(s => ({
        feature: s.closest('details.feature').querySelector('h3').innerText.replace(/^Feature: /, ''),
        name: s.querySelector('.name').innerText, status: s.querySelector('.pill').innerText.toLowerCase(),
        visible: s.getBoundingClientRect().height > 0,
        steps: [...s.querySelectorAll('ol.steps li')].map(li => li.dataset.status)}))""")


def assert_page_basics(tab: Tab, run: Path) -> None:
    """What every run page shows: 13 step verdicts, every scenario in words with its status, the chart."""
    band = tab.evaluate("[...document.querySelectorAll('#page-band details')].map(d => [d.dataset.step, d.querySelector('summary').innerText])")
    assert [step for step, _ in band] == [str(n) for n in range(1, 14)], band
    assert all(text.split("\n", 1)[1].strip() in VERDICTS for _, text in band), band
    # A reader opens a step: its how/why appears.
    tab.evaluate("document.querySelector('#page-band details[data-step=\"5\"] summary').click()")
    how = tab.evaluate("document.querySelector('#page-band details[data-step=\"5\"] .how').innerText")
    assert how.startswith("Step 5: helm install") and len(how) > 80 and tab.evaluate("document.querySelector('#page-band details[data-step=\"5\"] .how').getBoundingClientRect().height") > 0
    expected = junit_outcomes(run)
    shown = {f"{s['feature']}: {s['name']}": s for s in shown_scenarios(tab)}
    assert set(shown) == set(expected), (sorted(shown), sorted(expected))
    for title, outcome in expected.items():
        # JUnit has no word for an expected failure: it records one as skipped.
        assert shown[title]["status"] in ({outcome, "xfailed"} if outcome == "skipped" else {outcome}) and shown[title]["visible"], (title, shown[title], outcome)
        assert shown[title]["steps"] and all(status in ("passed", "failed", "not run") for status in shown[title]["steps"]), shown[title]
    ran = [title for title, outcome in expected.items() if outcome != "skipped"]
    bars = tab.evaluate("[...document.querySelectorAll('#time-chart g.bar')].map(g => [g.querySelector('title').textContent, Math.max(0, ...[...g.querySelectorAll('rect')].map(r => r.getBoundingClientRect().width))])")
    assert len(bars) == len(ran) and all(width > 0 for _, width in bars), bars


def assert_no_other_origin(tab: Tab, reports: Path) -> None:
    assert tab.requests, "the browser recorded no request at all: the recording is broken"
    foreign = [url for url in tab.requests if not (url.startswith(reports.resolve().as_uri()) or url.startswith("data:"))]
    assert not foreign, f"the page asked for {foreign}"


def test_a_failed_runs_page_shows_the_failure_first_with_its_sentence_and_a_working_bundle_link(forced_failure_run: SuiteRun, browser: Chromium, tmp_path: Path):
    run = forced_failure_run.run
    tab = browser.open((run / "evidence.html").as_uri())
    verdict = tab.evaluate("document.querySelector('#verdict').innerText")
    assert verdict.startswith("FAILED: 1 of") and "A healthy broker expected to fail" in verdict, verdict
    assert_page_basics(tab, run)
    first = tab.evaluate("(() => { const s = document.querySelector('.scenario'); return {inFailures: !!s.closest('#failures'), name: s.querySelector('.name').innerText, status: s.dataset.outcome, sentence: s.querySelector('.sentence').innerText}; })()")
    headline = next((run / "failures").iterdir()).joinpath("failure.txt").read_text().splitlines()[0]
    assert first == {"inFailures": True, "name": "A healthy broker expected to fail", "status": "failed", "sentence": headline[: len(first["sentence"])]}, first
    assert first["sentence"].startswith("broker aws-sb-") and "last seen:" in first["sentence"]
    first_feature = tab.evaluate("document.querySelector('#scenarios details.feature').dataset.feature")
    assert first_feature == "forced", first_feature  # the failing scenario's feature leads the list too
    tab.screenshot(tmp_path / "evidence.png")
    assert (tmp_path / "evidence.png").stat().st_size > 20_000
    assert_no_other_origin(tab, forced_failure_run.reports)
    # The reader follows the bundle link: its failure.txt opens, the sentence first.
    link = tab.evaluate("document.querySelector('#failures a.bundle').href")
    tab.navigate(link)
    assert tab.evaluate("document.body.innerText").splitlines()[0] == headline, link


def test_a_passing_runs_page_and_the_index_of_runs(forced_failure_run: SuiteRun, passing_run: SuiteRun, browser: Chromium):
    assert passing_run.result.returncode == 0, passing_run.result.stdout[-3000:]
    tab = browser.open((passing_run.run / "evidence.html").as_uri())
    assert tab.evaluate("document.querySelector('#verdict').innerText").startswith("PASSED: 2 passed")
    assert tab.evaluate("document.querySelector('#failures')") is None
    assert_page_basics(tab, passing_run.run)
    assert_no_other_origin(tab, passing_run.reports)

    index = browser.open((passing_run.reports / "index.html").as_uri())
    rows = index.evaluate("[...document.querySelectorAll('#runs tr.run')].map(r => [r.dataset.run, r.innerText])")
    assert [run for run, _ in rows] == [passing_run.run.name, forced_failure_run.run.name], rows  # newest first
    assert "passed" in rows[0][1] and "failed" in rows[1][1], rows
    assert index.evaluate("document.querySelector('#latest-verdict').innerText").startswith("Latest: PASSED")
    charts = index.evaluate("[...document.querySelectorAll('#trend-charts svg')].map(s => [s.querySelectorAll('circle').length, s.querySelector('polyline').getBoundingClientRect().width])")
    assert charts == [[2, pytest.approx(charts[0][1])], [2, pytest.approx(charts[1][1])]] and all(width > 100 for _, width in charts), charts
    assert_no_other_origin(index, passing_run.reports)
    index.navigate(index.evaluate(f"document.querySelector('tr.run[data-run=\"{forced_failure_run.run.name}\"] a').href"))
    assert index.evaluate("document.querySelector('#verdict').innerText").startswith("FAILED")
    written = [p for p in passing_run.reports.rglob("*") if p.is_file()]
    assert not [p for p in written if CANARY in p.read_text(errors="replace")]


def test_allure_results_are_written_when_asked(passing_run: SuiteRun):
    results = [json.loads(p.read_text()) for p in (passing_run.run / "allure-results").glob("*-result.json")]
    expected = {title.split(": ", 1)[1]: outcome for title, outcome in junit_outcomes(passing_run.run).items()}
    assert {r["name"]: r["status"] for r in results} == expected, results
    assert all(r["steps"] and all(step["status"] == "passed" for step in r["steps"]) for r in results), results


def test_report_html_names_scenarios_and_lists_the_qualified_components(passing_run: SuiteRun, browser: Chromium):
    tab = browser.open((passing_run.run / "report.html").as_uri())
    rows = tab.evaluate("[...document.querySelectorAll('#environment tr')].map(r => [...r.querySelectorAll(':scope > td')].map(c => c.innerText))")
    environment = {row[0]: row[1] for row in rows if len(row) == 2}
    assert environment["Service Catalog (controller-manager, webhook, svcat)"] == "v0.3.1", environment
    assert environment["Kubernetes (kube-apiserver, kubectl)"] == "v1.21.14" and environment["Kf, first generation (the page's stack)"] == "v0.2.0", environment
    shown = tab.evaluate("[...document.querySelectorAll('#results-table td.col-testId')].map(c => c.innerText)")
    assert sorted(shown) == sorted(junit_outcomes(passing_run.run)), shown
    assert_no_other_origin(tab, passing_run.reports)

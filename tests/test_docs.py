"""The docs say what the suite does: every option the suite adds is in
docs/options.md, and the README stays a front page."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def suite_options() -> set[str]:
    """The options of the suite's own groups, as `pytest --help` prints them (every plugin loaded)."""
    shown = subprocess.run([sys.executable, "-m", "pytest", "--help", "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    groups = re.findall(r"^aws-servicebroker conformance[^\n]*:\n(.*?)(?=^\S|\Z)", shown, re.MULTILINE | re.DOTALL)
    assert groups, "pytest --help shows no group of the suite's options"
    return {option for group in groups for option in re.findall(r"^  (--[a-z0-9-]+)", group, re.MULTILINE)}


def test_every_option_of_the_suite_is_documented_once_in_docs_options():
    documented = (ROOT / "docs" / "options.md").read_text()
    options = suite_options()
    assert len(options) >= 20, sorted(options)
    missing = sorted(o for o in options if f"`{o}`" not in documented)
    assert not missing, f"docs/options.md does not document {missing}"


def test_the_readme_is_a_front_page():
    lines = (ROOT / "README.md").read_text().splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines: move the detail into docs/"

"""The publishing workflow builds with ``make site`` and deploys ``site/`` to GitHub Pages.

Read as data, not run: each test names one property the deployment depends on, and fails
when an edit to ``.github/workflows/pages.yml`` loses it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from figures.config import ROOT

WORKFLOW_PATH = ".github/workflows/pages.yml"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# A release tag such as v4 or v4.1.2, or a full commit hash.
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(?:v\d+(?:\.\d+){0,2}|[0-9a-f]{40})$")


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return yaml.safe_load((ROOT / WORKFLOW_PATH).read_text(encoding="utf-8"))


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    return workflow["jobs"][job]["steps"]


def index_of_step(job_steps: list[dict[str, Any]], pattern: str) -> int:
    """Index of the first step whose ``run`` script matches ``pattern``."""
    for index, step in enumerate(job_steps):
        if re.search(pattern, step.get("run", ""), re.MULTILINE):
            return index
    raise AssertionError(f"no step runs {pattern!r}")


def step_using(job_steps: list[dict[str, Any]], action: str) -> dict[str, Any]:
    for step in job_steps:
        if step.get("uses", "").split("@")[0] == action:
            return step
    raise AssertionError(f"no step uses {action}")


def test_runs_on_push_to_main_and_by_hand(workflow):
    # YAML 1.1 reads the bare key `on` as the boolean True.
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_permissions_are_the_three_pages_needs(workflow):
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_deployments_queue_rather_than_cancel(workflow):
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_build_uses_python_3_11(workflow):
    setup = step_using(steps(workflow, "build"), "actions/setup-python")
    assert str(setup["with"]["python-version"]) == "3.11"


def test_torch_comes_from_the_cpu_index_before_make_site(workflow):
    build = steps(workflow, "build")
    make_site = index_of_step(build, r"^\s*make site\s*$")
    venv = index_of_step(build, r"python -m venv \.venv\b")
    torch = index_of_step(build, rf"\.venv/bin/pip install torch==\S+ --index-url {CPU_INDEX}\b")
    assert venv <= torch < make_site


def test_torch_pin_matches_requirements(workflow):
    build = steps(workflow, "build")
    script = build[index_of_step(build, r"install torch==")]["run"]
    pinned = re.search(r"^torch==(\S+)$", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert pinned is not None, "requirements.txt pins no torch"
    assert f"torch=={pinned.group(1)} " in script


def test_build_date_comes_from_the_commit(workflow):
    build = steps(workflow, "build")
    script = build[index_of_step(build, r"^\s*make site\s*$")]["run"]
    assert "SOURCE_DATE_EPOCH" in script
    assert "git log -1 --format=%ct" in script


def test_the_artifact_is_site(workflow):
    upload = step_using(steps(workflow, "build"), "actions/upload-pages-artifact")
    assert upload["with"]["path"].rstrip("/") == "site"


def test_deploy_follows_build_and_uses_deploy_pages(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["environment"]["name"] == "github-pages"
    step = step_using(deploy["steps"], "actions/deploy-pages")
    assert deploy["environment"]["url"] == f"${{{{ steps.{step['id']}.outputs.page_url }}}}"


def test_every_action_is_pinned_to_a_version(workflow):
    jobs = workflow["jobs"].values()
    uses = [step["uses"] for job in jobs for step in job["steps"] if "uses" in step]
    assert uses, "the workflow uses no actions"
    unpinned = [action for action in uses if not PINNED.match(action)]
    assert not unpinned, f"actions without a version tag: {unpinned}"


def test_readme_publishing_section_names_the_workflow_and_site():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Publishing\n(.*?)(?=^## |\Z)", readme, re.MULTILINE | re.DOTALL)
    assert section is not None, "README.md has no '## Publishing' section"
    assert WORKFLOW_PATH in section.group(1)
    assert "site/" in section.group(1)


# The major version of each action current when the workflow was last reviewed
# (December 2026); older ones run on Node 20, which GitHub's runners have dropped.
CURRENT_MAJORS = {
    "actions/checkout": 6,
    "actions/setup-python": 6,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}


def test_actions_are_on_their_current_major_versions(workflow):
    jobs = workflow["jobs"].values()
    uses = dict(step["uses"].split("@") for job in jobs for step in job["steps"] if "uses" in step)
    assert set(uses) == set(CURRENT_MAJORS), "an action was added or dropped: review the table"
    for action, version in uses.items():
        assert int(version.lstrip("v").split(".")[0]) >= CURRENT_MAJORS[action], action

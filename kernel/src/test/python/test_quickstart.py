"""`bin/hearth quickstart` end to end: real gateway, engine, kernel and nbclient; values checked against Python's csv module."""
import subprocess
import uuid

import nbformat
import pytest

from bakery_orders import assert_quickstart_outputs
from conftest import REPO, free_port, hearth_env, processes_with_marker


@pytest.fixture(scope="module")
def quickstart_run():
    marker = uuid.uuid4().hex
    executed = REPO / "notebooks" / "quickstart.executed.ipynb"
    if executed.exists():
        executed.unlink()
    result = subprocess.run([str(REPO / "bin" / "hearth"), "quickstart"], cwd=REPO, capture_output=True, text=True,
                            timeout=900, env=hearth_env(HEARTH_PORT=str(free_port()), HEARTH_TEST_MARKER=marker))
    return result, executed, marker


def test_quickstart_exits_zero_and_prints_each_cells_output(quickstart_run):
    result, executed, _ = quickstart_run
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Spark 4.2.0 on local[*]" in result.stdout
    assert "1200" in result.stdout
    assert executed.exists()


def test_executed_notebook_holds_the_values_python_computes(quickstart_run):
    result, executed, _ = quickstart_run
    assert result.returncode == 0, result.stdout + result.stderr
    assert_quickstart_outputs(nbformat.read(executed, as_version=4), "local[*]")


def test_quickstart_leaves_no_process_behind(quickstart_run):
    _, _, marker = quickstart_run
    assert processes_with_marker(marker) == []

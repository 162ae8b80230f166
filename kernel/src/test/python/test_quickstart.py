"""`bin/hearth quickstart` end to end: real gateway, engine, kernel and nbclient; values checked against Python's csv module."""
import csv
import glob
import os
import re
import subprocess
import uuid
from collections import defaultdict

import nbformat
import pytest

from conftest import REPO, free_port, hearth_env, processes_with_marker, wait_until


def expected_figures():
    """The quickstart's answers, computed without Spark."""
    rows = []
    for path in sorted(glob.glob(str(REPO / "notebooks" / "data" / "*.csv"))):
        with open(path, newline="") as f:
            rows.extend(csv.DictReader(f))
    by_city, units, revenue, monthly = defaultdict(float), defaultdict(int), defaultdict(float), defaultdict(lambda: [0, 0])
    for r in rows:
        amount = int(r["quantity"]) * float(r["unit_price"])
        by_city[r["city"]] += amount
        units[r["product"]] += int(r["quantity"])
        revenue[r["product"]] += amount
        monthly[r["date"][:7]][0] += 1
        monthly[r["date"][:7]][1] += int(r["quantity"])
    return len(rows), by_city, units, revenue, monthly


def cell_text(cell):
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream" and out.name == "stdout":
            parts.append(out.text)
        elif out.output_type == "execute_result":
            parts.append(out.data["text/plain"])
    return "".join(parts)


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
    count, by_city, units, revenue, monthly = expected_figures()
    nb = nbformat.read(executed, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not any(o.output_type == "error" for o in c.outputs) for c in code)

    assert cell_text(code[1]).strip() == str(count)

    city_lines = dict(line.split() for line in cell_text(code[2]).splitlines())
    assert city_lines == {city: f"{value:.2f}" for city, value in by_city.items()}

    assert "|-- unit_price: double" in cell_text(code[3])

    table = [line for line in cell_text(code[4]).splitlines() if line.startswith("|")][1:]
    shown = [[field.strip() for field in line.strip("|").split("|")] for line in table]
    assert [row[0] for row in shown] == sorted(revenue, key=revenue.get, reverse=True)
    for product, shown_units, shown_revenue in shown:
        assert int(shown_units) == units[product]
        assert float(shown_revenue) == pytest.approx(round(revenue[product], 2), abs=0.005)

    expected_monthly = [f"{m}: {o} orders, {u} units" for m, (o, u) in sorted(monthly.items())]
    assert cell_text(code[5]).splitlines() == expected_monthly


def test_quickstart_leaves_no_process_behind(quickstart_run):
    _, _, marker = quickstart_run
    assert processes_with_marker(marker) == []

"""The bakery orders of notebooks/data as Python's csv module reads them, and checks of the notebooks' outputs against
those figures (shared by the quickstart and object-storage notebook tests, on every master)."""
import csv
import glob
from collections import defaultdict

import pytest

from conftest import REPO

DATA = REPO / "notebooks" / "data"


def order_rows():
    """Every order in notebooks/data/*.csv, read without Spark."""
    rows = []
    for path in sorted(glob.glob(str(DATA / "*.csv"))):
        with open(path, newline="") as f:
            rows.extend(csv.DictReader(f))
    return rows


def figures(rows):
    """Revenue by city, units and revenue by product, and (orders, units) by month."""
    by_city, units, revenue, monthly = defaultdict(float), defaultdict(int), defaultdict(float), defaultdict(lambda: [0, 0])
    for r in rows:
        amount = int(r["quantity"]) * float(r["unit_price"])
        by_city[r["city"]] += amount
        units[r["product"]] += int(r["quantity"])
        revenue[r["product"]] += amount
        monthly[r["date"][:7]][0] += 1
        monthly[r["date"][:7]][1] += int(r["quantity"])
    return by_city, units, revenue, monthly


def cell_text(cell):
    """What a code cell printed to stdout, then its result."""
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream" and out.name == "stdout":
            parts.append(out.text)
        elif out.output_type == "execute_result":
            parts.append(out.data["text/plain"])
    return "".join(parts)


def code_cells_without_errors(nb):
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert errors == [], "\n".join("\n".join(e.traceback) for e in errors)
    return code


def assert_revenue_by_city(text, by_city):
    assert dict(line.split() for line in text.splitlines()) == {c: f"{v:.2f}" for c, v in by_city.items()}


def assert_product_table(text, units, revenue):
    """The `show()` table of units and revenue by product, ordered by revenue."""
    table = [line for line in text.splitlines() if line.startswith("|")][1:]
    shown = [[field.strip() for field in line.strip("|").split("|")] for line in table]
    assert [row[0] for row in shown] == sorted(revenue, key=revenue.get, reverse=True)
    for product, shown_units, shown_revenue in shown:
        assert int(shown_units) == units[product]
        assert float(shown_revenue) == pytest.approx(round(revenue[product], 2), abs=0.005)


def assert_quickstart_outputs(nb, master):
    """notebooks/quickstart.ipynb, executed on `master`, shows the figures Python computes from the same files."""
    code = code_cells_without_errors(nb)
    rows = order_rows()
    by_city, units, revenue, monthly = figures(rows)
    assert cell_text(code[0]).strip() == f"Spark 4.2.0 on {master}"
    assert cell_text(code[1]).strip() == str(len(rows))
    assert_revenue_by_city(cell_text(code[2]), by_city)
    assert "|-- unit_price: double" in cell_text(code[3])
    assert_product_table(cell_text(code[4]), units, revenue)
    expected_monthly = [f"{m}: {o} orders, {u} units" for m, (o, u) in sorted(monthly.items())]
    assert cell_text(code[5]).splitlines() == expected_monthly

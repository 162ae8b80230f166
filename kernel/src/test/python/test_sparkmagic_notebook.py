"""A notebook run headless under sparkmagic's own PySpark kernel, pointed at a real gateway: the magics a sparkmagic user
types (%%configure, plain PySpark, %%sql, %%info, %%logs, %%cleanup) must all work against Hearth unchanged."""
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import uuid

import nbformat
import pytest
import requests
from conftest import Gateway
from nbclient import NotebookClient

CELLS = [
    '%%configure -f\n{"driverMemory": "1g", "conf": {"spark.sql.shuffle.partitions": "3"}}',
    'print("partitions:", spark.conf.get("spark.sql.shuffle.partitions"))\nsc.parallelize(range(1, 101), 4).sum()',
    "spark.createDataFrame([('rye', 3), ('spelt', 5), ('wheat', 8)], ['grain', 'qty'])"
    ".createOrReplaceTempView('grains')",
    "%%sql\nSELECT grain, qty * 10 AS grams FROM grains WHERE qty > 3 ORDER BY grain",
    # 100,000 rows x 4 columns into a local pandas DataFrame (-q: not drawn): about 7 MB of JSON lines.
    "%%sql -q -o loaves -n 100000\nSELECT id, id % 52 AS week, concat('loaf-', id) AS name, id / 3 AS third"
    " FROM range(100000)",
    "%%local\nprint(len(loaves), list(loaves.columns), loaves['id'].tolist() == list(range(100000)),"
    " loaves.iloc[-1]['name'])",
    "%%info",
    "%%logs",
    "%%cleanup -f",
]

LOCAL_PANDAS_WARNING = re.compile(r"^\S*/sparkmagic/utils/utils\.py:\d+: UserWarning: .*\n(?:[ \t]+.*\n)?", re.M)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    """A gateway of this module's own: %%cleanup -f deletes every session of the endpoint, by sparkmagic's design."""
    gw = Gateway(uuid.uuid4().hex, tmp_path_factory.mktemp("sparkmagic-gateway") / "gateway.log")
    yield gw
    gw.stop()


@pytest.fixture(scope="module")
def sparkmagic_kernel(gateway, tmp_path_factory, monkeypatch_module):
    """sparkmagic's PySpark kernelspec installed into a private Jupyter prefix, as sparkmagic's README installs it,
    with sparkmagic's config.json pointing at the gateway."""
    prefix = tmp_path_factory.mktemp("sparkmagic-prefix")
    # Found without importing sparkmagic here: it reads SPARKMAGIC_CONF_DIR once, at its first import.
    package = Path(importlib.util.find_spec("sparkmagic").submodule_search_locations[0])
    kernelspec = package / "kernels" / "pysparkkernel"
    subprocess.run([str(Path(sys.executable).parent / "jupyter-kernelspec"), "install", str(kernelspec),
                    "--prefix", str(prefix)], check=True, capture_output=True)
    conf_dir = tmp_path_factory.mktemp("sparkmagic-kernel-conf")
    (conf_dir / "config.json").write_text(json.dumps({
        "kernel_python_credentials": {"username": "", "password": "", "url": gateway.url, "auth": "None"},
        "livy_session_startup_timeout_seconds": 300,
        "wait_for_idle_timeout_seconds": 120,
        # The plain pandas table instead of the interactive chart widget, so the result can be read from the notebook.
        "use_auto_viz": False,
    }))
    monkeypatch_module.setenv("SPARKMAGIC_CONF_DIR", str(conf_dir))
    monkeypatch_module.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
    return "pysparkkernel"


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture(scope="module")
def executed(sparkmagic_kernel, gateway):
    before = {s["id"] for s in requests.get(gateway.url + "/sessions").json()["sessions"]}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(nb, kernel_name=sparkmagic_kernel, timeout=600, startup_timeout=120).execute()
    return nb, before


def outputs(nb, index):
    return nb.cells[index].outputs


def text(nb, index, stream="stdout"):
    return "".join(o["text"] for o in outputs(nb, index) if o["output_type"] == "stream" and o["name"] == stream)


def html(nb, index):
    return "".join(o["data"].get("text/html", "") for o in outputs(nb, index)
                   if o["output_type"] in ("display_data", "execute_result"))


def test_no_cell_errored(executed):
    nb, _ = executed
    for i, cell in enumerate(nb.cells):
        assert [o for o in cell.outputs if o["output_type"] == "error"] == [], CELLS[i]
        # sparkmagic reports its failures (HTTP errors, bad states, statement errors) on stderr, not as error outputs.
        # Its local pandas type guessing for %%sql warns there too, from the notebook's own process: not a failure.
        stderr = LOCAL_PANDAS_WARNING.sub("", text(nb, i, "stderr"))
        assert stderr == "", f"{CELLS[i]!r} wrote to stderr: {stderr}"


def test_configure_records_the_session_settings(executed):
    nb, _ = executed
    shown = html(nb, 0)
    assert "Current session configs" in shown
    assert "'driverMemory': '1g'" in shown and "'spark.sql.shuffle.partitions': '3'" in shown


def test_the_first_pyspark_cell_starts_the_configured_session_and_runs(executed):
    nb, _ = executed
    out = text(nb, 1)
    assert "Starting Spark application" in out
    assert "SparkSession available as 'spark'." in out
    # The %%configure conf reached the SparkSession; the cell's printed line and its value follow.
    assert out.rstrip().endswith("partitions: 3\n5050")


def test_sql_returns_the_query_result_as_a_table(executed):
    nb, _ = executed
    results = [o for o in outputs(nb, 3) if o["output_type"] == "execute_result"]
    assert len(results) == 1
    table = results[0]["data"]["text/plain"].split("\n")
    assert table[0].split() == ["grain", "grams"]
    assert [row.split()[1:] for row in table[1:]] == [["spelt", "50"], ["wheat", "80"]]


def test_sql_o_with_100000_rows_gives_the_notebook_every_row(executed):
    nb, _ = executed
    assert text(nb, CELLS.index("%%info") - 1) == "100000 ['id', 'week', 'name', 'third'] True loaf-99999\n"


def test_info_lists_the_current_session(executed):
    nb, before = executed
    shown = html(nb, CELLS.index("%%info"))
    assert "Current session configs" in shown
    assert "pyspark" in shown and "idle" in shown
    assert "\u2714" in shown  # sparkmagic's mark for "current session"


def test_logs_shows_the_engine_log(executed):
    nb, _ = executed
    # The engine logs each statement it ran, the notebook's among them.
    logs = text(nb, CELLS.index("%%logs"))
    assert re.search(r"StatementRunner: statement \d+ available in \d+ ms", logs), logs


def test_cleanup_deleted_the_notebooks_session(executed, gateway):
    nb, before = executed
    assert before == set()
    assert requests.get(gateway.url + "/sessions").json()["total"] == 0, "a session outlived %%cleanup -f"

"""The kernel's magics through a real Jupyter client, a real gateway and real engines: one kernel and one session
shared by the tests, in order; %%cleanup runs last."""
import hashlib
import uuid

import pytest
import requests
from conftest import Gateway, hearth_env, install_kernels
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

ALL_MAGICS = ["%%configure", "%%info", "%%sql", "%%pyspark", "%%scala", "%%java", "%logs", "%%delete", "%%cleanup",
              "%attach", "%keep", "%matplot", "%lsmagic", "%%help"]
GRAINS = [["rye", 30], ["spelt", 50], ["wheat", 80]]
# A storage secret the first session is configured with: its owner set it, nobody reads it back.
SECRET = "s3cr3t-" + uuid.uuid4().hex
SECRET_KEY = "spark.hadoop.fs.s3a.secret.key"
REDACTED = "*********(redacted)"


@pytest.fixture(scope="module")
def magics_gateway(tmp_path_factory):
    """A gateway of this module's own: %%cleanup -f deletes every session the caller owns, and with authentication
    off that is every session of the gateway."""
    gw = Gateway(uuid.uuid4().hex, tmp_path_factory.mktemp("magics-gateway") / "gateway.log")
    yield gw
    gw.stop()


@pytest.fixture(scope="module")
def kernel(magics_gateway, tmp_path_factory):
    """The PySpark (Hearth) kernel, installed as `bin/hearth` installs it, pointed at this module's gateway."""
    prefix = tmp_path_factory.mktemp("magics-prefix")
    specs = KernelSpecManager(kernel_dirs=[str(install_kernels(prefix, magics_gateway.url) / "kernels")])
    km = KernelManager(kernel_name="hearth-pyspark", kernel_spec_manager=specs)
    km.start_kernel(env=hearth_env())
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def run(kc, code, timeout=300):
    """Executes code and returns (reply content, iopub outputs) as the frontend saw them."""
    outputs = []

    def hook(msg):
        if msg["msg_type"] in ("stream", "execute_result", "display_data", "error") and not kernels_own(msg["content"]):
            outputs.append((msg["msg_type"], msg["content"]))

    reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
    return reply["content"], outputs


def kernels_own(content):
    """The session card and live job progress (test_kernel_experience.py) are the kernel's, not the magic's output."""
    display_id = content.get("transient", {}).get("display_id", "")
    return display_id.startswith("hearth-progress") or "hearth-session" in content.get("data", {}).get("text/html", "")


def stdout(outputs):
    return "".join(c["text"] for t, c in outputs if t == "stream" and c["name"] == "stdout")


def results(outputs):
    return [c["data"] for t, c in outputs if t == "execute_result"]


def sessions(magics_gateway):
    return requests.get(f"{magics_gateway.url}/sessions", timeout=10).json()["sessions"]


def test_lsmagic_lists_every_magic_without_starting_a_session(kernel, magics_gateway):
    reply, outputs = run(kernel, "%lsmagic")
    assert reply["status"] == "ok"
    text = results(outputs)[0]["text/plain"]
    for magic in ALL_MAGICS:
        assert magic in text
    assert sessions(magics_gateway) == []


def test_unknown_magic_is_an_error_listing_the_valid_ones(kernel):
    reply, outputs = run(kernel, "%%sqll\nSELECT 1")
    assert reply["status"] == "error" and reply["ename"] == "UsageError"
    assert reply["evalue"] == "unknown magic %%sqll"
    traceback = "\n".join(reply["traceback"])
    assert "Valid magics: " + ", ".join(ALL_MAGICS) in traceback
    assert [c["ename"] for t, c in outputs if t == "error"] == ["UsageError"]


def test_malformed_magics_say_what_to_fix(kernel):
    reply, _ = run(kernel, "%%sql -n ten\nSELECT 1")
    assert reply["evalue"] == "%%sql: -n must be a whole number of at least 0, not 'ten'"
    assert any(line.startswith("Usage: %%sql [-o NAME] [-n MAXROWS] [-q] [--chart") for line in reply["traceback"])
    reply, _ = run(kernel, "%%sql --chart donut\nSELECT 1")
    assert reply["evalue"] == "%%sql: --chart must be one of bar|line|area|scatter|pie, not 'donut'"
    reply, _ = run(kernel, "%%sql -z\nSELECT 1")
    assert reply["evalue"] == "%%sql: unknown option -z; valid options: --chart, -n, -o, -q, -x, -y"
    reply, _ = run(kernel, "%%configure\n{driverMemory: }")
    assert reply["status"] == "error" and reply["evalue"].startswith("%%configure: the settings are not valid JSON")
    reply, _ = run(kernel, "%logs\n%%info")
    assert reply["evalue"] == "%%info is a cell magic: it must be the first line of its cell"


def test_configure_sets_the_first_sessions_settings_and_refuses_to_change_a_running_one(kernel, magics_gateway):
    reply, outputs = run(kernel, '%%configure\n{"conf": {"spark.sql.shuffle.partitions": "3", "' + SECRET_KEY
                         + '": "' + SECRET + '"}}')
    assert reply["status"] == "ok"
    assert "The next cell starts a Spark session with these settings" in stdout(outputs)
    assert f'"{SECRET_KEY}": "{REDACTED}"' in stdout(outputs) and SECRET not in stdout(outputs)
    reply, outputs = run(kernel, 'spark.conf.get("spark.sql.shuffle.partitions")')
    assert reply["status"] == "ok", reply
    assert results(outputs)[-1]["text/plain"] == "'3'"
    # The engine got the real value: compared by its hash, so the secret itself is never printed.
    reply, outputs = run(kernel, 'import hashlib\nhashlib.sha256(spark.sparkContext.getConf().get("' + SECRET_KEY
                         + '").encode()).hexdigest()')
    assert reply["status"] == "ok", reply
    assert results(outputs)[-1]["text/plain"] == repr(hashlib.sha256(SECRET.encode()).hexdigest())
    [own] = sessions(magics_gateway)
    assert own["conf"][SECRET_KEY] == REDACTED

    reply, _ = run(kernel, '%%configure\n{"driverMemory": "1g"}')
    assert reply["status"] == "error"
    assert "already running" in reply["evalue"]
    assert any("%%configure -f" in line for line in reply["traceback"])


def test_sql_shows_the_table_from_the_same_session(kernel):
    reply, _ = run(kernel, "spark.createDataFrame([('rye', 3), ('spelt', 5), ('wheat', 8)], ['grain', 'qty'])"
                           ".createOrReplaceTempView('grains')")
    assert reply["status"] == "ok"
    reply, outputs = run(kernel, "%%sql\nSELECT grain, qty * 10 AS grams FROM grains ORDER BY grain")
    assert reply["status"] == "ok", reply
    [table] = results(outputs)
    assert "application/json" not in table, "JupyterLab would show a JSON tree instead of the table"
    for grain, grams in GRAINS:
        assert f"<td>{grain}</td>" in table["text/html"] and f"<td>{grams}</td>" in table["text/html"]
    assert "spelt" in table["text/plain"]


def test_sql_n_caps_the_rows_and_leaves_the_sessions_cap_as_it_was(kernel):
    reply, outputs = run(kernel, "%%sql -n 2\nSELECT grain FROM grains ORDER BY grain")
    assert reply["status"] == "ok", reply
    [table] = results(outputs)
    assert "<td>rye</td>" in table["text/html"] and "<td>spelt</td>" in table["text/html"]
    assert "wheat" not in table["text/html"]
    assert "showing 2 of 2+ rows" in table["text/plain"]
    reply, outputs = run(kernel, "%%sql\nSELECT grain FROM grains ORDER BY grain")
    assert "<td>wheat</td>" in results(outputs)[0]["text/html"]
    _, outputs = run(kernel, "spark.conf.get('hearth.sql.maxRows', 'unset')")
    assert results(outputs)[0]["text/plain"] == "'unset'"

    # A failing query shows Spark's own error, and the cap is put back all the same.
    reply, outputs = run(kernel, "%%sql -n 1\nSELECT no_such_column FROM grains")
    assert reply["status"] == "error"
    assert "no_such_column" in reply["evalue"]
    assert [c["ename"] for t, c in outputs if t == "error"] == [reply["ename"]]
    _, outputs = run(kernel, "spark.conf.get('hearth.sql.maxRows', 'unset')")
    assert results(outputs)[0]["text/plain"] == "'unset'"


def test_sql_q_shows_nothing(kernel):
    reply, outputs = run(kernel, "%%sql -q\nCREATE OR REPLACE TEMP VIEW big_grains AS SELECT * FROM grains WHERE qty > 3")
    assert reply["status"] == "ok", reply
    assert outputs == []


def test_sql_o_keeps_the_rows_as_a_pandas_dataframe_in_the_session(kernel):
    reply, outputs = run(kernel, "%%sql -o top -q\nSELECT grain, qty * 10 AS grams FROM grains ORDER BY grain")
    assert reply["status"] == "ok", reply
    assert outputs == []
    reply, outputs = run(kernel, "(type(top).__module__.split('.')[0], type(top).__name__, list(top.columns), "
                                 "top.values.tolist(), int(top['grams'].sum()))")
    assert reply["status"] == "ok", reply
    assert results(outputs)[0]["text/plain"] == repr(("pandas", "DataFrame", ["grain", "grams"], GRAINS, 160))


def test_sql_chart_bar_gives_a_vegalite_spec_whose_data_are_the_rows_plus_the_table(kernel):
    reply, outputs = run(kernel, "%%sql --chart bar\nSELECT grain, qty * 10 AS grams FROM grains ORDER BY grain")
    assert reply["status"] == "ok", reply
    [chart] = [c["data"] for t, c in outputs if t == "display_data"]
    spec = chart["application/vnd.vegalite.v5+json"]
    assert isinstance(spec, dict), "the spec is a JSON object, not a string"
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    assert spec["data"]["values"] == [{"grain": g, "grams": n} for g, n in GRAINS]
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"] == {"field": "grain", "type": "nominal"}
    assert spec["encoding"]["y"] == {"field": "grams", "type": "quantitative"}
    assert chart["text/plain"] == "bar chart of grams by grain (3 rows)"
    [table] = results(outputs)
    assert "<td>wheat</td>" in table["text/html"]

    reply, outputs = run(kernel, "%%sql --chart pie -x grain -y grams\nSELECT grain, qty * 10 AS grams FROM grains")
    [chart] = [c["data"] for t, c in outputs if t == "display_data"]
    spec = chart["application/vnd.vegalite.v5+json"]
    assert spec["mark"]["type"] == "arc" and spec["encoding"]["theta"]["field"] == "grams"

    reply, _ = run(kernel, "%%sql --chart line -y grain\nSELECT grain, qty FROM grains")
    assert reply["status"] == "error" and "needs a numeric y column" in reply["evalue"]


def test_per_cell_language_runs_in_the_same_session(kernel):
    reply, outputs = run(kernel, "%%scala\nspark.table(\"grains\").count() * 2")
    assert reply["status"] == "ok", reply
    assert "6" in results(outputs)[0]["text/plain"]
    reply, outputs = run(kernel, "%%java\nspark.table(\"grains\").count() * 3")
    assert reply["status"] == "ok", reply
    assert "9" in results(outputs)[0]["text/plain"]
    reply, outputs = run(kernel, "%%pyspark\nspark.table('grains').count() * 4")
    assert reply["status"] == "ok", reply
    assert results(outputs)[0]["text/plain"] == "12"


def test_matplot_is_accepted_and_the_figure_shows_anyway(kernel):
    reply, outputs = run(kernel, "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\n%matplot plt")
    assert reply["status"] == "ok", reply
    pngs = [c["data"] for t, c in outputs if t in ("display_data", "execute_result") and "image/png" in c["data"]]
    assert len(pngs) == 1


def test_info_shows_the_sessions_with_this_kernels_marked(kernel, magics_gateway):
    [own] = sessions(magics_gateway)
    reply, outputs = run(kernel, "%%info")
    assert reply["status"] == "ok", reply
    [info] = results(outputs)
    assert f"this kernel's session is {own['id']}." in info["text/plain"]
    assert ('%%configure settings for new sessions: {"conf":{"spark.sql.shuffle.partitions":"3","' + SECRET_KEY
            + '":"' + REDACTED + '"}}') in info["text/plain"]
    assert SECRET not in info["text/plain"] and SECRET not in info["text/html"]
    assert f"<td>{own['id']}</td><td>pyspark</td><td>idle</td>" in info["text/html"]
    assert "<td>*</td>" in info["text/html"]
    if own.get("appId"):
        assert own["appId"] in info["text/html"]


def test_logs_prints_the_sessions_log(kernel, magics_gateway):
    [own] = sessions(magics_gateway)
    reply, outputs = run(kernel, "%logs -n 500")
    assert reply["status"] == "ok", reply
    expected = requests.get(f"{magics_gateway.url}/sessions/{own['id']}/log?size=500", timeout=10).json()["log"]
    assert stdout(outputs) == "\n".join(expected) + "\n"
    assert expected, "an engine logs something while it starts Spark"


def test_delete_needs_f_refuses_the_kernels_own_and_deletes_another(kernel, magics_gateway):
    [own] = sessions(magics_gateway)
    other = requests.post(f"{magics_gateway.url}/sessions", json={"kind": "pyspark"}, timeout=30).json()
    reply, _ = run(kernel, f"%%delete -s {other['id']}")
    assert reply["status"] == "error" and "add -f to confirm" in reply["evalue"]
    reply, _ = run(kernel, f"%%delete -s {own['id']} -f")
    assert reply["status"] == "error" and "this kernel's own" in reply["evalue"]
    reply, outputs = run(kernel, f"%%delete -s {other['id']} -f")
    assert reply["status"] == "ok", reply
    assert stdout(outputs) == f"Deleted session {other['id']}.\n"
    assert requests.get(f"{magics_gateway.url}/sessions/{other['id']}", timeout=10).status_code == 404
    reply, _ = run(kernel, "%%delete -s 999 -f")
    assert reply["status"] == "error" and reply["evalue"] == "there is no session 999 on the gateway"


def test_attach_moves_the_kernel_to_another_session_and_back(kernel, magics_gateway):
    [own] = sessions(magics_gateway)
    other = requests.post(f"{magics_gateway.url}/sessions", json={"kind": "pyspark"}, timeout=30).json()
    reply, _ = run(kernel, "%attach 999")
    assert reply["status"] == "error" and reply["evalue"].endswith("has no session 999")
    reply, _ = run(kernel, "%attach")
    assert reply["status"] == "error" and "say which session by its number" in reply["evalue"]

    reply, outputs = run(kernel, f"%attach {other['id']}")
    assert reply["status"] == "ok", reply
    assert stdout(outputs) == (f"This kernel now uses Spark session {other['id']}. Session {own['id']} keeps running "
                               f"(%%delete -s {own['id']} -f deletes it).\n")
    reply, outputs = run(kernel, "attached_here = 6 * 7\nattached_here")
    assert reply["status"] == "ok", reply
    assert results(outputs)[-1]["text/plain"] == "42"
    codes = [st["code"] for st in
             requests.get(f"{magics_gateway.url}/sessions/{other['id']}/statements", timeout=10).json()["statements"]]
    assert codes == ["attached_here = 6 * 7\nattached_here"]

    # %%configure -f lets an attached session go without deleting it, and says so.
    reply, outputs = run(kernel, '%%configure -f\n{"name": "never-started"}')
    assert reply["status"] == "ok", reply
    assert stdout(outputs).startswith(f"Let go of Spark session {other['id']}, which keeps running (it was attached")
    assert requests.get(f"{magics_gateway.url}/sessions/{other['id']}", timeout=10).json()["state"] in ("idle", "busy")
    run(kernel, '%%configure\n{"conf": {"spark.sql.shuffle.partitions": "3"}}')  # the settings of earlier tests

    run(kernel, f"%attach {own['id']}")
    reply, outputs = run(kernel, "'attached_here' in globals(), spark.table('grains').count()")
    assert results(outputs)[-1]["text/plain"] == "(False, 3)"
    assert run(kernel, f"%%delete -s {other['id']} -f")[0]["status"] == "ok"


def test_help_shows_every_magic_with_its_usage(kernel):
    reply, outputs = run(kernel, "%%help")
    assert reply["status"] == "ok"
    [help_] = results(outputs)
    for magic in ALL_MAGICS:
        assert f"<td><code>{magic}</code></td>" in help_["text/html"]
    assert "%%delete -s ID -f" in help_["text/plain"]


def test_configure_f_replaces_the_running_session_with_one_of_the_new_settings(kernel, magics_gateway):
    [old] = sessions(magics_gateway)
    reply, outputs = run(kernel, '%%configure -f\n{"conf": {"spark.sql.shuffle.partitions": "5"}}')
    assert reply["status"] == "ok", reply
    assert stdout(outputs).startswith(f"Deleted Spark session {old['id']}. The next cell starts")
    reply, outputs = run(kernel, 'spark.conf.get("spark.sql.shuffle.partitions")')
    assert reply["status"] == "ok", reply
    assert results(outputs)[-1]["text/plain"] == "'5'"
    [new] = [s for s in sessions(magics_gateway) if s["state"] not in ("dead", "killed")]
    assert new["id"] != old["id"]


def test_cleanup_deletes_every_session_and_the_next_cell_starts_a_new_one(kernel, magics_gateway):
    own = [s for s in sessions(magics_gateway) if s["state"] not in ("dead", "killed")][0]
    reply, _ = run(kernel, "%%cleanup")
    assert reply["status"] == "error" and "add -f to confirm" in reply["evalue"]
    reply, outputs = run(kernel, "%%cleanup -f")
    assert reply["status"] == "ok", reply
    assert stdout(outputs) == f"Deleted session {own['id']}.\n"
    assert sessions(magics_gateway) == []
    reply, outputs = run(kernel, "1 + 1")
    assert reply["status"] == "ok", reply
    assert results(outputs)[-1]["text/plain"] == "2"
    [new] = sessions(magics_gateway)
    assert new["id"] != own["id"]
    run(kernel, "%%cleanup -f")

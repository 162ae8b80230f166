"""The PySpark (Hearth) kernel through a real Jupyter client, a real gateway and a real engine."""
import pytest
from jupyter_client.manager import start_new_kernel


@pytest.fixture(scope="module")
def kernel(kernelspecs):
    km, kc = start_new_kernel(kernel_name="hearth-pyspark", startup_timeout=60)
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def run(kc, code, timeout=300):
    """Executes code and returns (reply content, iopub outputs) as the frontend saw them."""
    outputs = []

    def hook(msg):
        if msg["msg_type"] in ("stream", "execute_result", "display_data", "error"):
            outputs.append((msg["msg_type"], msg["content"]))

    reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
    return reply["content"], outputs


def test_print_is_a_stream_and_last_value_an_execute_result(kernel):
    reply, outputs = run(kernel, 'print("hello, world")\n6 * 7')
    assert reply["status"] == "ok"
    streams = [c for t, c in outputs if t == "stream"]
    assert "".join(s["text"] for s in streams if s["name"] == "stdout") == "hello, world\n"
    results = [c for t, c in outputs if t == "execute_result"]
    assert [r["data"]["text/plain"] for r in results] == ["42"]


def test_python_variables_persist_across_cells(kernel):
    assert run(kernel, "total = sum(range(10))\ndef double(x):\n    return 2 * x")[0]["status"] == "ok"
    reply, outputs = run(kernel, "double(total)")
    assert reply["status"] == "ok"
    assert [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"] == ["90"]


def test_failing_cell_shows_the_users_traceback_and_the_session_goes_on(kernel):
    run(kernel, "kept = 'still here'")
    reply, outputs = run(kernel, "def divide(a, b):\n    return a / b\n\ndivide(1, 0)")
    assert reply["status"] == "error"
    assert reply["ename"] == "ZeroDivisionError"
    errors = [c for t, c in outputs if t == "error"]
    assert len(errors) == 1
    error = errors[0]
    assert error["ename"] == "ZeroDivisionError"
    assert "division by zero" in error["evalue"]
    traceback = "\n".join(error["traceback"])
    assert "return a / b" in traceback and "divide(1, 0)" in traceback
    # The user's frames only: nothing from Hearth's Java or Python plumbing.
    assert "io.hearth" not in traceback and "hearth_python" not in traceback and ".java" not in traceback

    reply, outputs = run(kernel, "kept")
    assert reply["status"] == "ok"
    assert [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"] == ["'still here'"]


def test_spark_job_runs_on_the_sessions_context(kernel):
    reply, outputs = run(kernel, "sc.parallelize(range(1, 101), 4).map(lambda x: x * x).sum()")
    assert reply["status"] == "ok"
    assert [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"] == [str(sum(x * x for x in range(1, 101)))]


def test_tab_completion_offers_names_and_attributes_from_the_session(kernel):
    run(kernel, "bakery_orders = [1, 2, 3]")
    msg_id = kernel.complete("len(bakery_or", 13)
    reply = kernel.get_shell_msg(timeout=30)
    assert reply["parent_header"]["msg_id"] == msg_id
    content = reply["content"]
    assert content["status"] == "ok"
    assert "bakery_orders" in content["matches"]
    assert (content["cursor_start"], content["cursor_end"]) == (4, 13)

    kernel.complete("sc.paralle", 10)
    assert "sc.parallelize" in kernel.get_shell_msg(timeout=30)["content"]["matches"]


def test_tab_in_a_sql_cell_completes_sql_from_the_same_session(kernel):
    run(kernel, "spark.range(3).createOrReplaceTempView('bakery_loaves')")
    for cell, expected in [("%%sql\nSELECT * FROM bakery_lo", "%%sql\nSELECT * FROM bakery_loaves"),
                           ("%%sql -n 5\nSEL", "%%sql -n 5\nSELECT")]:
        msg_id = kernel.complete(cell, len(cell))
        reply = kernel.get_shell_msg(timeout=30)
        assert reply["parent_header"]["msg_id"] == msg_id
        c = reply["content"]
        completed = [cell[:c["cursor_start"]] + m + cell[c["cursor_end"]:] for m in c["matches"]]
        assert expected in completed, c


def test_shift_tab_inspection_shows_the_signature_and_docstring(kernel):
    run(kernel, 'def bake(loaves, oven="stone"):\n    """Bakes loaves in the oven."""\n    return loaves')
    msg_id = kernel.inspect("bake(3)", 2)
    reply = kernel.get_shell_msg(timeout=30)
    assert reply["parent_header"]["msg_id"] == msg_id
    content = reply["content"]
    assert content["status"] == "ok" and content["found"] is True
    assert "bake(loaves, oven='stone')" in content["data"]["text/plain"]
    assert "Bakes loaves in the oven." in content["data"]["text/plain"]

    kernel.inspect("no_such_name", 3)
    assert kernel.get_shell_msg(timeout=30)["content"]["found"] is False


def test_display_and_figures_are_display_data_and_a_spark_dataframe_an_html_table(kernel):
    reply, outputs = run(kernel, "\n".join([
        "import matplotlib.pyplot as plt",
        "display('first')",
        "plt.plot([1, 2, 3])",
        "display(spark.range(2))",
        "spark.range(30)",
    ]))
    assert reply["status"] == "ok"
    # The session card and the jobs' live progress (test_kernel_experience.py) are the kernel's, not the cell's values.
    displays = [c["data"] for t, c in outputs if t == "display_data"
                and not any(k in c["data"].get("text/html", "") for k in ("hearth-progress", "hearth-session"))]
    assert [d["text/plain"] for d in displays[:1]] == ["'first'"]
    assert "<table" in displays[1]["text/html"]
    assert displays[2]["image/png"].startswith("iVBORw0KGgo"), "the figure, at the end of the cell"
    assert len(displays) == 3
    results = [c["data"] for t, c in outputs if t == "execute_result"]
    assert len(results) == 1
    assert "<td>19</td>" in results[0]["text/html"] and "showing first 20 rows" in results[0]["text/plain"]

"""Tab completion and Shift-Tab inspection in the Scala, SQL and Java kernels, through a real Jupyter client, a real
gateway and a real engine with local Spark. Each language's kernel runs one cell first: Tab never starts a session,
and the Scala compiler and JShell start with their first statement."""
import pytest
from jupyter_client.manager import start_new_kernel


@pytest.fixture(scope="module")
def start_kernel(kernelspecs):
    started = []

    def start(kernel_name, first_cell):
        km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=60)
        started.append((km, kc))
        reply = kc.execute_interactive(first_cell, timeout=300)
        assert reply["content"]["status"] == "ok", reply["content"]
        return kc

    yield start
    for km, kc in started:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


@pytest.fixture(scope="module")
def scala(start_kernel):
    return start_kernel("hearth-spark", "val loafCount = 3")


@pytest.fixture(scope="module")
def sql(start_kernel):
    return start_kernel("hearth-sql", "CREATE OR REPLACE TEMP VIEW bakery_orders AS "
                                      "SELECT * FROM VALUES ('rye', 3) AS t(loaf, quantity)")


@pytest.fixture(scope="module")
def java(start_kernel):
    return start_kernel("hearth-java", "int loafCount = 3;")


def complete(kc, code, cursor=None):
    """The complete_reply content for code at cursor (default: its end), checked to answer this request."""
    msg_id = kc.complete(code, len(code) if cursor is None else cursor)
    reply = kc.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:  # start_new_kernel leaves its kernel_info_reply behind
        reply = kc.get_shell_msg(timeout=30)
    assert reply["content"]["status"] == "ok", reply["content"]
    return reply["content"]


def completed(kc, code, cursor=None):
    """Each match applied as a frontend applies it: the text between cursor_start and cursor_end replaced."""
    c = complete(kc, code, cursor)
    return [code[:c["cursor_start"]] + m + code[c["cursor_end"]:] for m in c["matches"]]


def inspect(kc, code, cursor=None):
    msg_id = kc.inspect(code, len(code) if cursor is None else cursor)
    reply = kc.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=30)
    assert reply["content"]["status"] == "ok", reply["content"]
    return reply["content"]


def test_scala_completes_spark_members_and_the_repls_own_values(scala):
    assert "spark.range" in completed(scala, "spark.ran")
    assert "loafCount + 1" in completed(scala, "loafCou + 1", 7)


def test_sql_completes_keywords_functions_temp_views_and_their_columns(sql):
    assert completed(sql, "SEL") == ["SELECT"]
    assert "select" in completed(sql, "sel")
    assert "SELECT count" in completed(sql, "SELECT cou")
    assert "SELECT * FROM bakery_orders" in completed(sql, "SELECT * FROM bakery_o")
    assert completed(sql, "SELECT qua FROM bakery_orders", 10)[0] == "SELECT quantity FROM bakery_orders"


def test_java_completes_spark_members_and_jshell_variables(java):
    assert "spark.range(" in completed(java, "spark.ran")
    assert "loafCount * 2" in completed(java, "loafCo * 2", 6)


def test_java_inspection_shows_the_documentation_of_the_name_under_the_cursor(java):
    for code, cursor in [("spark.range", None), ("spark.range(5)", 12), ("spark.range(5)", 9)]:
        content = inspect(java, code, cursor)
        assert content["found"] is True, (code, cursor)
        text = content["data"]["text/plain"]
        assert "range(long" in text and "Dataset" in text, text
    assert inspect(java, "loafCount")["found"] is True
    assert inspect(java, "noSuchName")["found"] is False

"""pylivy (PyPI `livy`), an independent Livy client, unchanged against a real gateway and real engines: its own session
lifecycle as a pylivy user runs it (version check, create, run, upload, download, read, SQL sessions, close)."""
import re
import warnings
import xml.etree.ElementTree as ET

import pandas
import pytest
import requests
from livy import LivySession, SessionKind, SessionState
from livy.client import LivyClient
from livy.models import SparkRuntimeError, Version

from conftest import REPO

# A Spark JVM on a busy 2-core machine; the gateway's own start timeout (180 s) ends a session that never starts.
SPARK_CONF = {"spark.sql.shuffle.partitions": "4", "spark.ui.enabled": "false"}


def project_version():
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    return ET.parse(REPO / "pom.xml").getroot().find("m:version", ns).text


@pytest.fixture(scope="module")
def pyspark(gateway):
    """One pyspark session made by pylivy's own LivySession.create, ready (wait() polls until it has started)."""
    session = LivySession.create(gateway.url, kind=SessionKind.PYSPARK, echo=False, spark_conf=SPARK_CONF)
    session.wait()
    yield session
    if LivyClient(gateway.url).get_session(session.session_id) is not None:
        session.close()


def test_the_version_is_livys_api_level_so_pylivy_offers_every_session_kind(gateway):
    client = LivyClient(gateway.url)
    try:
        assert client.server_version() == Version("0.9.0")
        assert not client.legacy_server()
    finally:
        client.close()
    answer = requests.get(gateway.url + "/version", timeout=10).json()
    assert answer["version"] == "0.9.0-hearth-" + project_version()
    assert answer["hearth"] == {"version": project_version(), "livyApi": "0.9.0"}
    assert answer["gitCommit"] == answer["revision"]
    assert re.fullmatch(r"[0-9a-f]{40}|unknown", answer["revision"]), answer


def test_create_waits_until_the_session_is_idle(pyspark, gateway):
    assert pyspark.state == SessionState.IDLE
    listed = LivyClient(gateway.url).get_session(pyspark.session_id)
    assert listed.kind == SessionKind.PYSPARK
    assert listed.state == SessionState.IDLE


def test_run_answers_the_printed_text_and_the_value(pyspark):
    output = pyspark.run("print('rows:')\nspark.range(10).count()")
    assert output.text == "rows:\n10"


def test_a_failing_statement_raises_with_the_users_error(pyspark):
    with pytest.raises(SparkRuntimeError) as raised:
        pyspark.run("def divide():\n    return 1 / 0\ndivide()")
    assert raised.value.ename == "ZeroDivisionError"
    assert "division by zero" in raised.value.evalue
    assert any("divide" in line for line in raised.value.traceback), raised.value.traceback
    assert pyspark.run("'still here'").text == "'still here'"


def test_upload_makes_a_spark_dataframe_that_sql_and_download_see(pyspark):
    frame = pandas.DataFrame({"name": ["a", "b", "c"], "n": [1, 2, 3], "x": [0.5, 1.5, None]})
    pyspark.upload("uploaded", frame)
    assert pyspark.run("print(type(uploaded).__name__, uploaded.count())").text == "DataFrame 3"

    pyspark.run("uploaded.createOrReplaceTempView('uploaded_view')\n"
                "total = spark.sql('SELECT sum(n) AS n_sum, count(x) AS x_count FROM uploaded_view')")
    assert pyspark.download("total").to_dict("records") == [{"n_sum": 6, "x_count": 2}]

    back = pyspark.download("uploaded")
    # spark.read.json orders columns by name; the values come back as they went.
    pandas.testing.assert_frame_equal(back[list(frame.columns)], frame, check_dtype=False)


def test_download_brings_a_whole_dataframe(pyspark):
    pyspark.run("squares = spark.range(1000).selectExpr('id', 'id * id AS square', \"concat('row ', id) AS label\")")
    frame = pyspark.download("squares")
    assert len(frame) == 1000
    assert sorted(frame.columns) == ["id", "label", "square"]
    assert frame["square"].sum() == sum(i * i for i in range(1000))
    assert frame.loc[frame["id"] == 999, "label"].item() == "row 999"


def test_read_is_download_under_its_deprecated_name(pyspark):
    pyspark.upload("small", pandas.DataFrame({"k": [7]}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = pyspark.read("small")
    assert frame.to_dict("records") == [{"k": 7}]
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


def test_a_sql_session_answers_tables_pylivy_reads_as_dataframes(gateway):
    with LivySession.create(gateway.url, kind=SessionKind.SQL, echo=False, spark_conf=SPARK_CONF) as sql:
        assert sql.state == SessionState.IDLE
        sql.run("CREATE TEMPORARY VIEW people AS SELECT * FROM VALUES (1, 'ada'), (2, 'grace') AS t(id, name)")
        frame = sql.download_sql("SELECT id, upper(name) AS name FROM people ORDER BY id")
        assert frame.to_dict("records") == [{"id": 1, "name": "ADA"}, {"id": 2, "name": "GRACE"}]
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            assert sql.read_sql("SELECT count(*) AS n FROM people").to_dict("records") == [{"n": 2}]
        with pytest.raises(SparkRuntimeError) as raised:
            sql.run("SELECT * FROM no_such_table")
        assert "no_such_table" in raised.value.evalue
        session_id = sql.session_id
    # Leaving the with block closed the session.
    assert LivyClient(gateway.url).get_session(session_id) is None


def test_close_deletes_the_session(pyspark, gateway):
    pyspark.close()
    assert LivyClient(gateway.url).get_session(pyspark.session_id) is None

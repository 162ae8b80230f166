"""sparkmagic's own Livy client classes, unchanged, against a real gateway and a real engine: Livy conformance as an
independent client sees it. sparkmagic is configured only its own way (SPARKMAGIC_CONF_DIR and a config.json)."""
import time

import pytest
from conftest import start_sparkmagic_session


@pytest.fixture(scope="module")
def session(sparkmagic, gateway):
    s = start_sparkmagic_session(sparkmagic, driverMemory="1g", conf={"spark.sql.shuffle.partitions": "4"})
    yield s
    if s.id != -1:
        s.delete()


def execute(sparkmagic, session, code):
    return sparkmagic["livyclientlib.command"].Command(code).execute(session)


def test_start_waits_for_idle_and_finds_the_spark_session(session, gateway):
    assert session.status == "idle"
    assert session.kind == "pyspark"
    assert session.sql_context_variable_name == "spark"
    assert "SparkSession available as 'spark'." in session.ipython_display.lines
    listed = session.http_client.get_sessions()
    assert session.id in [s["id"] for s in listed["sessions"]]
    info = session.http_client.get_session(session.id)
    assert info["kind"] == "pyspark"
    assert info["driverMemory"] == "1g"
    assert info["conf"] == {"spark.sql.shuffle.partitions": "4"}
    assert info["heartbeatTimeoutInSecond"] == 60


def test_a_command_prints_and_returns_its_value_as_text(sparkmagic, session):
    success, out, mimetype = execute(sparkmagic, session,
                                     'print("from the driver")\nsc.parallelize(range(1, 11), 2).sum()')
    assert (success, mimetype) == (True, "text/plain")
    assert out == "from the driver\n55"


def test_variables_live_on_between_commands(sparkmagic, session):
    assert execute(sparkmagic, session, "loaves = 12")[0]
    assert execute(sparkmagic, session, "loaves * 2")[1] == "24"


def test_sql_query_comes_back_as_a_dataframe_through_sparkmagics_sql_code_path(sparkmagic, session):
    success, _, _ = execute(sparkmagic, session,
                            "spark.createDataFrame([('rye', 3), ('spelt', 5), ('wheat', 8)], ['grain', 'qty'])"
                            ".createOrReplaceTempView('grains')")
    assert success
    query = sparkmagic["livyclientlib.sqlquery"].SQLQuery(
        "SELECT grain, qty * 2 AS doubled FROM grains WHERE qty > 3 ORDER BY grain", maxrows=10)
    df = query.execute(session)
    assert list(df.columns) == ["grain", "doubled"]
    assert df.to_dict("records") == [{"grain": "spelt", "doubled": 10}, {"grain": "wheat", "doubled": 16}]


def test_a_failing_command_reports_the_error_value_and_traceback(sparkmagic, session):
    success, out, mimetype = execute(sparkmagic, session, "def ratio(a, b):\n    return a / b\n\nratio(1, 0)")
    assert success is False
    assert mimetype == "text/plain"
    assert out.startswith("division by zero\n")
    assert "ZeroDivisionError" in out and "return a / b" in out
    # The session goes on after the error.
    assert execute(sparkmagic, session, "loaves")[1] == "12"


def test_a_bad_sql_query_is_a_sparkmagic_error_not_a_crash(sparkmagic, session):
    query = sparkmagic["livyclientlib.sqlquery"].SQLQuery("SELECT * FROM no_such_table", maxrows=10)
    with pytest.raises(sparkmagic["livyclientlib.exceptions"].BadUserDataException) as raised:
        query.execute(session)
    assert "no_such_table" in str(raised.value)


def test_cancel_stops_a_running_statement(sparkmagic, session):
    client = session.http_client
    session.wait_for_idle()
    statement = client.post_statement(session.id, {"code": "import time\nfor _ in range(600): time.sleep(0.1)"})
    deadline = time.monotonic() + 60
    while client.get_statement(session.id, statement["id"])["state"] == "waiting" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert client.cancel_statement(session.id, statement["id"]) == {"msg": "canceled"}
    while time.monotonic() < deadline:
        state = client.get_statement(session.id, statement["id"])["state"]
        if state == "cancelled":
            break
        time.sleep(0.2)
    assert state == "cancelled"
    session.wait_for_idle()
    assert execute(sparkmagic, session, "1 + 1")[1] == "2"


def test_session_info_and_logs_are_what_info_and_logs_magics_show(sparkmagic, session):
    session.refresh_status_and_info()
    assert session.status == "idle"
    assert session.get_app_id() is None or isinstance(session.get_app_id(), str)
    assert isinstance(session.get_app_info(), dict)
    session.get_user()  # no owner before authentication: sparkmagic must cope with null
    described = str(session)
    assert f"Session id: {session.id}" in described and "Kind: pyspark" in described and "State: idle" in described
    logs = session.get_logs()
    assert isinstance(logs, str) and logs.strip(), "the session log holds the engine's output"
    from sparkmagic.utils.utils import get_sessions_info_html
    assert f"<td>{session.id}</td>" in get_sessions_info_html([session], session.id)


def test_delete_ends_the_session_and_a_second_delete_is_tolerated(sparkmagic, session, gateway):
    session_id = session.id
    client = session.http_client
    session.delete()
    assert session.status == "dead" and session.id == -1
    with pytest.raises(sparkmagic["livyclientlib.exceptions"].HttpClientException) as raised:
        client.get_session(session_id)
    assert "404" in str(raised.value)
    client.delete_session(session_id)  # sparkmagic accepts 200 or 404 here
    assert session_id not in [s["id"] for s in client.get_sessions()["sessions"]]

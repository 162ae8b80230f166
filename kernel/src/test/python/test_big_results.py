"""Large results through Livy clients, unchanged, on the shared gateway: sparkmagic's `%%sql -o df -n 100000` query and
pylivy's `download()` of 100,000 rows x 4 columns (about 7 MB of JSON lines, far beyond the 2,000,000 characters a
statement could once return, which both clients then failed to parse)."""
import pytest
from conftest import start_sparkmagic_session

ROWS = 100_000
COLUMNS = ["id", "week", "name", "third"]
QUERY = "SELECT id, id % 52 AS week, concat('loaf-', id) AS name, id / 3 AS third FROM range(100000)"


@pytest.fixture(scope="module")
def session(sparkmagic):
    s = start_sparkmagic_session(sparkmagic, driverMemory="1g")
    success, out, _ = sparkmagic["livyclientlib.command"].Command(
        f"loaves = spark.sql(\"{QUERY}\")\nloaves.createOrReplaceTempView('loaves')").execute(s)
    assert success, out
    yield s
    s.delete()


def sql_o(sparkmagic, session, rows):
    """What `%%sql -o df -n ROWS` runs: sparkmagic's SQLQuery with the take sample method, its rows parsed locally."""
    return sparkmagic["livyclientlib.sqlquery"].SQLQuery("SELECT * FROM loaves", samplemethod="take",
                                                           maxrows=rows).execute(session)


def pylivy_download(gateway, session_id):
    """pylivy's LivySession on the existing session (create() would ask GET /version first) and its download()."""
    from livy import LivySession

    livy = LivySession(gateway.url, session_id, echo=False)
    try:
        return livy.download("loaves")
    finally:
        livy.client.close()


def check_rows(df):
    assert list(df.columns) == COLUMNS
    assert len(df) == ROWS
    assert df["id"].tolist() == list(range(ROWS))
    last = df.iloc[-1].to_dict()
    assert (last["week"], last["name"]) == ((ROWS - 1) % 52, f"loaf-{ROWS - 1}")
    assert last["third"] == pytest.approx((ROWS - 1) / 3)


def test_sparkmagic_sql_o_with_100000_rows_gives_every_row(sparkmagic, session):
    check_rows(sql_o(sparkmagic, session, ROWS))


def test_pylivy_download_of_100000_rows_gives_every_row(gateway, session):
    check_rows(pylivy_download(gateway, session.id))

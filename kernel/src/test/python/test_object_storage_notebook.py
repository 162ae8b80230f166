"""notebooks/object-storage.ipynb end to end: a real S3-compatible server (S3Proxy, the jar the engine's test build
fetches) on loopback, a real gateway whose engines take their AWS keys from the environment (the standard chain), the
PySpark (Hearth) kernel run by nbclient; values checked against Python's csv module on the same files."""
import os
import socket
import subprocess
import time
import uuid
import urllib.error
import urllib.request

import nbformat
import pytest
from nbclient import NotebookClient

from bakery_orders import (assert_product_table, assert_revenue_by_city, cell_text, code_cells_without_errors,
                           figures, order_rows)
from conftest import REPO, Gateway, free_port, install_kernels, java, processes_with_marker

S3_SERVER_JAR = REPO / "engine" / "target" / "s3-test-server" / "s3proxy.jar"
ACCESS_KEY = "hearth-nb-access"
SECRET_KEY = "hearth-nb-secret-3e9b"
BUCKET = "hearth-demo"


def start_s3_server(directory):
    """S3Proxy over a directory of its own, answering signed requests for one key pair; returns (process, endpoint)."""
    assert S3_SERVER_JAR.exists(), f"{S3_SERVER_JAR} is fetched by the engine's test build (mvn -pl engine test-compile)"
    store = directory / "store"
    (store / BUCKET).mkdir(parents=True)  # a bucket of S3Proxy's filesystem store is a directory
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    properties = directory / "s3proxy.properties"
    properties.write_text("\n".join([
        f"s3proxy.endpoint={endpoint}", "s3proxy.authorization=aws-v2-or-v4", f"s3proxy.identity={ACCESS_KEY}",
        f"s3proxy.credential={SECRET_KEY}", "jclouds.provider=filesystem", f"jclouds.filesystem.basedir={store}"]))
    log = open(directory / "s3proxy.log", "wb")
    process = subprocess.Popen([java(), "-Xmx256m", "-jar", str(S3_SERVER_JAR), "--properties", str(properties)],
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(endpoint + "/", timeout=1)
        except urllib.error.HTTPError as e:
            if e.code == 403:  # unsigned: refused, so it is serving
                return process, endpoint
        except (urllib.error.URLError, socket.timeout, ConnectionError):
            pass
        time.sleep(0.1)
    process.kill()
    raise AssertionError("S3Proxy did not come up: " + (directory / "s3proxy.log").read_text())


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    directory = tmp_path_factory.mktemp("object-storage")
    s3, endpoint = start_s3_server(directory)
    marker = uuid.uuid4().hex
    # The keys reach engines as an operator hands them on: named in hearth.engine.env (with the test's marker).
    gateway = Gateway(marker, directory / "gateway.log", AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY,
                      HEARTH_ENGINE_ENV="HEARTH_TEST_MARKER,AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY")
    previous_path = os.environ.get("JUPYTER_PATH")
    try:
        data_dir = install_kernels(directory / "jupyter", gateway.url, name="hearth-s3")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(data_dir), previous_path]))
        nb = nbformat.read(REPO / "notebooks" / "object-storage.ipynb", as_version=4)
        configure = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("%%configure"))
        assert "http://127.0.0.1:9000" in configure.source
        configure.source = configure.source.replace("http://127.0.0.1:9000", endpoint)
        started = time.monotonic()
        NotebookClient(nb, kernel_name="hearth-s3-pyspark", timeout=300, startup_timeout=120).execute()
        print(f"object-storage.ipynb ran in {time.monotonic() - started:.1f} s")
        yield nb, directory
    finally:
        if previous_path is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = previous_path
        gateway.stop()
        s3.terminate()
        s3.wait(30)
        assert processes_with_marker(marker) == []


def test_the_notebook_reads_writes_and_queries_s3_with_the_values_python_computes(executed):
    nb, directory = executed
    code = code_cells_without_errors(nb)
    rows = order_rows()
    by_city, units, revenue, _ = figures(rows)

    listed = dict(line.split() for line in cell_text(code[1]).splitlines())
    assert set(listed) == {"bakery-orders-2026-09.csv", "bakery-orders-2026-10.csv", "README.txt"}
    assert cell_text(code[2]).strip() == str(len(rows)), "the README.txt beside the CSV files is not counted"

    assert_revenue_by_city(cell_text(code[3]), by_city)
    assert cell_text(code[4]).strip() == str(len(rows)), "s3:// reads the same files"
    assert "|-- unit_price: double" in cell_text(code[5])

    assert_product_table(cell_text(code[6]), units, revenue)

    total_units = sum(int(r["quantity"]) for r in rows)
    assert cell_text(code[7]).strip() == f"{len(rows)} orders, {total_units} units"
    stored = directory / "store" / BUCKET / "orders-parquet"
    assert any(p.name.endswith(".parquet") for p in stored.iterdir()), "parquet parts reached the server's store"


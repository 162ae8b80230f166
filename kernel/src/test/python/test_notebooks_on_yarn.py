"""notebooks/quickstart.ipynb, unchanged, through the PySpark (Hearth) kernel on a real YARN with HDFS: Hadoop's own mini
clusters (the testbed module's TestBedMain, in a JVM of its own), in client and in cluster deploy mode. The notebook's
relative paths resolve in the user's HDFS home directory, where the test puts notebooks/data with a file beside the CSV
files that the wildcard must leave out; the values are checked against Python's csv module."""
import getpass
import json
import os
import subprocess
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pyspark
import pytest
from nbclient import NotebookClient

from bakery_orders import DATA, assert_quickstart_outputs, cell_text
from conftest import REPO, Gateway, install_kernels, java, processes_with_marker

TESTBED_BUILD = REPO / "testbed" / "target"
READY = "hearth testbed ready"


class YarnTestBed:
    """A ResourceManager + NodeManager and a NameNode + DataNode on loopback; stops when its stdin closes."""

    def __init__(self, directory, start_timeout=180):
        classpath_file = TESTBED_BUILD / "testbed.classpath"
        assert classpath_file.exists(), f"{classpath_file} is written by the root build (mvn verify)"
        classpath = f"{TESTBED_BUILD / 'classes'}{os.pathsep}{classpath_file.read_text().strip()}"
        self.log_path = directory / "testbed.log"
        self.process = subprocess.Popen(
            [java(), "-Xmx768m", "-cp", classpath, "io.hearth.testbed.TestBedMain", "--dir", str(directory / "bed")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(self.log_path, "wb"), text=True)
        timer = threading.Timer(start_timeout, self.process.kill)
        timer.start()
        try:
            self.addresses = {}
            for line in self.process.stdout:
                line = line.rstrip("\n")
                if line == READY:
                    break
                key, _, value = line.partition(": ")
                self.addresses[key] = value
            else:
                raise AssertionError(f"the test bed ended before it was ready: {self.log_path.read_text()[-4000:]}")
        finally:
            timer.cancel()
        # Its later lines (stop messages) are drained so that it never blocks on a full pipe.
        threading.Thread(target=self.process.stdout.read, name="testbed-stdout", daemon=True).start()

    def put(self, path, data):
        """Writes a file into HDFS through WebHDFS (asking for the DataNode's address instead of a redirect)."""
        user = getpass.getuser()
        create = f"{self.addresses['hdfs-web']}/webhdfs/v1{path}?op=CREATE&overwrite=true&noredirect=true&user.name={user}"
        with urllib.request.urlopen(urllib.request.Request(create, method="PUT"), timeout=30) as r:
            location = json.load(r)["Location"]
        with urllib.request.urlopen(urllib.request.Request(location, data=data, method="PUT"), timeout=30) as r:
            assert r.status == 201, f"WebHDFS write of {path}: {r.status}"

    def applications(self):
        """The ResourceManager's applications, by id."""
        with urllib.request.urlopen(f"{self.addresses['yarn-web']}/ws/v1/cluster/apps", timeout=30) as r:
            apps = (json.load(r).get("apps") or {}).get("app", [])
        return {a["id"]: a for a in apps}

    def stop(self):
        self.process.stdin.close()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def yarn(tmp_path_factory):
    bed = YarnTestBed(tmp_path_factory.mktemp("yarn-testbed"))
    try:
        home = f"/user/{getpass.getuser()}/notebooks/data"
        for csv_file in sorted(DATA.glob("*.csv")):
            bed.put(f"{home}/{csv_file.name}", csv_file.read_bytes())
        # Beside the CSV files and not matched by *.csv: counted, it would change every figure.
        bed.put(f"{home}/README.txt", b"order_id,date,city,product,quantity,unit_price\n9999,2026-09-01,Nowhere,Ghost,99,9.99\n")
        yield bed
    finally:
        bed.stop()


@pytest.mark.parametrize("deploy_mode", ["client", "cluster"])
def test_the_quickstart_notebook_runs_unchanged_on_yarn(yarn, deploy_mode, tmp_path, monkeypatch):
    # Operator defaults (spark-defaults.conf) keep the application small: one executor, small containers.
    spark_conf = tmp_path / "spark-conf"
    spark_conf.mkdir()
    (spark_conf / "spark-defaults.conf").write_text("\n".join([
        "spark.executor.instances 1", "spark.executor.memory 512m", "spark.driver.memory 512m",
        "spark.yarn.am.memory 256m",
        # The test bed is loopback only: drivers and executors in its containers bind there too.
        "spark.yarn.appMasterEnv.SPARK_LOCAL_IP 127.0.0.1", "spark.executorEnv.SPARK_LOCAL_IP 127.0.0.1", ""]))
    spark_jars = Path(pyspark.__file__).parent / "jars"
    marker = uuid.uuid4().hex
    gateway = Gateway(marker, tmp_path / "gateway.log", HEARTH_SPARK_MASTER="yarn",
                      HEARTH_SPARK_DEPLOY_MODE=deploy_mode, HEARTH_HADOOP_CONF_DIR=yarn.addresses["hadoop-conf-dir"],
                      HEARTH_SPARK_YARN_JARS=f"local:{spark_jars}/*", HEARTH_SPARK_CONF_DIR=str(spark_conf),
                      HEARTH_SESSION_START_TIMEOUT="300s")
    before = set(yarn.applications())
    try:
        data_dir = install_kernels(tmp_path / "jupyter", gateway.url, name=f"hearth-yarn-{deploy_mode}")
        monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join(filter(None, [str(data_dir), os.environ.get("JUPYTER_PATH")])))
        nb = nbformat.read(REPO / "notebooks" / "quickstart.ipynb", as_version=4)
        # One cell of the test's own after the notebook's: where the driver ran, seen from inside the session.
        nb.cells.append(nbformat.v4.new_code_cell(
            'print(sc.getConf().get("spark.submit.deployMode"), sc.applicationId)'))
        started = time.monotonic()
        NotebookClient(nb, kernel_name=f"hearth-yarn-{deploy_mode}-pyspark", timeout=600,
                       startup_timeout=120).execute()
        print(f"quickstart.ipynb on YARN ({deploy_mode} mode) ran in {time.monotonic() - started:.1f} s")
    finally:
        gateway.stop()

    assert_quickstart_outputs(nb, "yarn")
    mode, app_id = cell_text(nb.cells[-1]).split()
    assert mode == deploy_mode
    assert set(yarn.applications()) - before == {app_id}, "the session was one YARN application"
    app = yarn.applications()[app_id]
    assert app["applicationType"] == "SPARK" and app["user"] == getpass.getuser(), app
    # The session card of the first cell links the Spark UI through the ResourceManager's proxy and the driver's log:
    # the ApplicationMaster container's in cluster mode, the gateway's session log in client mode (the driver is there).
    card = next(o.data["text/plain"] for o in nb.cells[1].outputs if o.output_type == "display_data")
    assert f"application {app_id}, Spark UI {app['trackingUrl']}," in card and f"/proxy/{app_id}/" in card, (card, app)
    expected_log = "/node/containerlogs/container_" if deploy_mode == "cluster" else f"{gateway.url}/sessions/"
    assert expected_log in card.split("driver log ")[1], card
    assert processes_with_marker(marker) == []

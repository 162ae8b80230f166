"""The notebook as a user sees it: JupyterLab from the venv in headless Chromium (Playwright) runs cells of the PySpark
(Hearth) kernel against the shared real gateway, and the page shows streamed output, the live progress bar, the result,
a %%sql bar chart with its table, Tab completion and the stop button. Screenshots go to kernel/target/jupyterlab/."""
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError, sync_playwright

from conftest import REPO, free_port, hearth_env, processes_with_marker, wait_until

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "kernel" / "target" / "jupyterlab"
NOTEBOOK = "hearth-in-the-browser.ipynb"
# Root needs --no-sandbox; the rest keep Chromium from calling out to a network it cannot reach.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Generous: two cores shared with other test runs; the first cell also starts a Spark session.
SESSION_START_MS = 300_000
STEP_MS = 120_000

CELLS = [
    # 0: a Spark job of about 4 s on two cores (8 tasks of 1 s), after a line of output and a small temp view.
    "import time\n"
    "spark.createDataFrame([('rye', 3), ('oat', 5), ('barley', 2)], ['grain', 'qty']).createOrReplaceTempView('grains')\n"
    "print('started')\n"
    "sc.parallelize(range(16), 8).map(lambda x: time.sleep(0.5) or x).sum()",
    # 1: the chart over that view.
    "%%sql --chart bar\nSELECT grain, qty FROM grains ORDER BY grain",
    # 2: typed into by the completion test.
    "",
    # 3: stopped with the toolbar's stop button.
    "import time\nsc.parallelize(range(2), 2).map(lambda x: time.sleep(120) or x).count()",
    # 4: the session goes on after the stop, its temp view still there.
    "spark.table('grains').count()",
]


class JupyterLab:
    """A JupyterLab server from the venv on a free loopback port, with its own empty root, config, data, runtime,
    settings and workspace directories, seeing only the Hearth kernelspecs the tests installed."""

    def __init__(self, base, jupyter_path, marker):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_urlsafe(32)
        self.root = base / "root"
        dirs = {name: base / name for name in ("config", "data", "runtime", "settings", "workspaces")}
        for d in [self.root, *dirs.values()]:
            d.mkdir()
        # A user's "No" to the news and update checks: no toast over the page, no calls to the closed network.
        notification = dirs["settings"] / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        notification.parent.mkdir(parents=True)
        notification.write_text('{"fetchNews": "false", "checkForUpdates": false}')
        self.log_path = base / "jupyterlab.log"
        self.log = open(self.log_path, "wb")
        # The token travels in the environment: Jupyter then prints "?token=..." instead of it, and argv stays clean.
        env = hearth_env(HEARTH_TEST_MARKER=marker, JUPYTER_TOKEN=self.token, JUPYTER_PATH=str(jupyter_path),
                         JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_DATA_DIR=str(dirs["data"]),
                         JUPYTER_RUNTIME_DIR=str(dirs["runtime"]))
        args = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0", f"--ServerApp.root_dir={self.root}",
                f"--LabApp.user_settings_dir={dirs['settings']}", f"--LabApp.workspaces_dir={dirs['workspaces']}"]
        if os.getuid() == 0:
            args.append("--allow-root")
        # Its own process group, so that the teardown can reach the kernels it started as well.
        self.process = subprocess.Popen(args, cwd=self.root, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                        start_new_session=True)
        wait_until(self._ready, 120, interval=0.5, what=f"JupyterLab on {self.url} (log: {self.log_path})")

    def _ready(self):
        if self.process.poll() is not None:
            raise AssertionError(f"JupyterLab exited with {self.process.returncode}: {self.log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{self.url}/api", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self):
        """SIGTERM lets the server shut its kernels down (each deletes its session); SIGKILL if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def marker():
    """Carried in the environment of every process this module starts, so that the teardown can find them all."""
    return uuid.uuid4().hex


@pytest.fixture(scope="module")
def lab(kernelspecs, gateway, marker, tmp_path_factory):
    """The JupyterLab server, its root holding the test notebook (the PySpark (Hearth) kernel and the cells above)."""
    server = JupyterLab(tmp_path_factory.mktemp("jupyterlab"), kernelspecs / "share" / "jupyter", marker)
    try:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in CELLS])
        nb.metadata["kernelspec"] = {"name": "hearth-pyspark", "display_name": "PySpark (Hearth)", "language": "python"}
        nbformat.write(nb, server.root / NOTEBOOK)
        yield server
    finally:
        server.stop()
    # Everything this module started (JupyterLab, its kernel, Chromium and its helpers) is gone once both stop;
    # whatever is not is killed, and the test run says so.
    try:
        wait_until(lambda: not processes_with_marker(marker), 60, what="JupyterLab, its kernel and Chromium to exit")
    except AssertionError:
        left = processes_with_marker(marker)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        raise AssertionError(f"processes left running after the browser test, now killed: {left}") from None
    assert server.token not in server.log_path.read_text(errors="replace"), "the token got into JupyterLab's log"


@pytest.fixture(scope="module")
def chromium():
    """Fails, never skips, when the browser is missing, before anything is started."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `bin/hearth test` installs it (Debian package chromium), "
                    "or run `apt-get install chromium` as root")
    return CHROMIUM


@pytest.fixture(scope="module")
def page(chromium, lab, marker, tmp_path_factory):
    """One headless Chromium for the module, logged in to JupyterLab with the token typed into its login form (so the
    token is in no URL), showing the notebook with its kernel idle."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(chromium), headless=True,
            args=CHROMIUM_ARGS, env=dict(os.environ, HEARTH_TEST_MARKER=marker), viewport={"width": 1280, "height": 1000})
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(STEP_MS)
            page.goto(f"{lab.url}/login?next=/lab/tree/{NOTEBOOK}")
            page.fill("#password_input", lab.token)
            page.click("#login_submit")
            # Loaded: all its cells on the page and the status bar naming the kernel, idle.
            page.wait_for_function(
                f"() => document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell').length === {len(CELLS)}"
                " && /PySpark \\(Hearth\\)\\s*\\|\\s*Idle/.test(document.querySelector('#jp-main-statusbar').textContent)",
                polling=200)
            shoot(page, "01-notebook-open")
            yield page
        finally:
            context.close()
    finally:
        playwright.stop()


def shoot(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def cell(page, index):
    return page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)


def run_cell(page, index):
    """Focuses the cell's editor and presses Shift+Enter, as a user does."""
    cell(page, index).locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")


# The cell's prompt shows [*] while it runs and its execution count once done.
CELL_JS = """
const cell = (i) => document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')[i];
const running = (i) => cell(i).querySelector('.jp-InputPrompt').textContent.includes('*');
const done = (i) => /\\[\\d+\\]/.test(cell(i).querySelector('.jp-InputPrompt').textContent);
const stdout = (i) => Array.from(cell(i).querySelectorAll('[data-mime-type="application/vnd.jupyter.stdout"]'))
    .map(o => o.textContent).join('');
const bar = (i) => cell(i).querySelector('.hearth-progress progress');
"""


def wait_for(page, condition, index, timeout=STEP_MS):
    try:
        page.wait_for_function(f"(i) => {{ {CELL_JS} return {condition}; }}", arg=index, timeout=timeout, polling=100)
    except PlaywrightTimeoutError:
        shoot(page, f"failed-cell-{index}")
        raise AssertionError(f"cell {index}: timed out after {timeout / 1000:.0f}s waiting for {condition} "
                             f"(screenshot: {SCREENSHOTS}/failed-cell-{index}.png)") from None


def wait_done(page, index, timeout=STEP_MS):
    wait_for(page, "done(i)", index, timeout)


def test_spark_cell_streams_its_output_shows_live_progress_then_the_result(page):
    run_cell(page, 0)
    # All while the cell still runs: the printed line streams in, the job's progress bar shows up, and it moves
    # (some tasks done, not all) in place.
    wait_for(page, "running(i) && stdout(i).includes('started')", 0, SESSION_START_MS)
    wait_for(page, "running(i) && bar(i) !== null", 0)
    wait_for(page, "running(i) && bar(i).value > 0 && bar(i).value < bar(i).max", 0)
    shoot(page, "02-spark-job-running")
    wait_done(page, 0)
    shoot(page, "03-spark-job-done")
    out = cell(page, 0)
    assert out.locator(".jp-OutputArea-executeResult").inner_text().strip().endswith("120")
    bar = out.locator(".hearth-progress progress")
    assert bar.count() == 1, "one progress bar for the one job"
    assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("8", "8")
    assert "SUCCEEDED" in out.locator(".hearth-progress").inner_text()
    # Printed text comes before the progress display and the result: it streamed as it was printed.
    text = out.locator(".jp-OutputArea").inner_text()
    assert text.index("started") < text.index("Spark job") < text.rindex("120")


# Vega-Lite's default bar colour, #4c78a8: the number of separate runs of it along a pixel row near the bars' base is
# the number of bars drawn on the canvas.
BARS_ON_CANVAS_JS = """
(i) => {
  const canvas = document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')[i]
      .querySelector('.jp-RenderedVegaLite canvas');
  if (!canvas || canvas.width === 0) return -1;
  const { width, height } = canvas;
  const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  let most = 0;
  for (let y = 0; y < height; y++) {
    let runs = 0, inside = false;
    for (let x = 0; x < width; x++) {
      const k = (y * width + x) * 4;
      const bar = Math.abs(pixels[k] - 76) + Math.abs(pixels[k + 1] - 120) + Math.abs(pixels[k + 2] - 168) < 30
          && pixels[k + 3] > 200;
      if (bar && !inside) runs++;
      inside = bar;
    }
    most = Math.max(most, runs);
  }
  return most;
}
"""


def test_sql_chart_cell_draws_a_vegalite_bar_chart_beside_the_table(page):
    run_cell(page, 1)
    wait_done(page, 1)
    out = cell(page, 1)
    out.locator(".jp-RenderedVegaLite canvas").wait_for()
    page.wait_for_function(f"(i) => ({BARS_ON_CANVAS_JS})(i) === 3", arg=1, timeout=STEP_MS)
    shoot(page, "04-sql-bar-chart")
    rows = out.locator(".jp-RenderedHTMLCommon table tr").all_inner_texts()
    assert [r.split()[:2] for r in rows if r.split() and r.split()[0] in ("barley", "oat", "rye")] == [
        ["barley", "2"], ["oat", "5"], ["rye", "3"]]
    assert out.locator(".jp-RenderedVegaLite").count() == 1, "one chart"


def test_tab_completes_a_session_attribute(page):
    editor = cell(page, 2).locator(".jp-InputArea-editor")
    editor.click()
    page.keyboard.type("spark.ran")
    page.keyboard.press("Tab")
    # The kernel's candidates come from the session's Python, listed under the cursor; Enter takes the chosen one.
    items = page.locator(".jp-Completer .jp-Completer-item")
    items.first.wait_for()
    shoot(page, "05-tab-completion")
    # Whether the label shows the whole expression or the attribute alone is JupyterLab's choice.
    assert [t.strip().split(".")[-1] for t in items.all_inner_texts()] == ["range"]
    page.keyboard.press("Enter")
    wait_for(page, "cell(i).querySelector('.jp-InputArea-editor').textContent.trim() === 'spark.range'", 2)
    page.keyboard.press("Escape")


def test_stop_button_interrupts_a_running_spark_job_and_the_session_goes_on(page):
    run_cell(page, 3)
    wait_for(page, "running(i) && bar(i) !== null", 3)
    asked = time.monotonic()
    page.locator(".jp-NotebookPanel-toolbar [data-command='notebook:interrupt-kernel']").click()
    wait_done(page, 3)
    took = time.monotonic() - asked
    print(f"the stop button ended the Spark job's cell {took:.2f}s after the click")
    shoot(page, "06-interrupted")
    assert "KeyboardInterrupt" in cell(page, 3).locator(".jp-OutputArea").inner_text()
    # The bound is loose: this proves the button's wiring; the kernel tests hold the cancel to its tight bound.
    assert took < 20, f"the stop took {took:.1f}s"
    run_cell(page, 4)
    wait_done(page, 4)
    assert cell(page, 4).locator(".jp-OutputArea-executeResult").inner_text().strip().endswith("3")
    shoot(page, "07-session-goes-on")

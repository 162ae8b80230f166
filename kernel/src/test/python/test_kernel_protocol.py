"""jupyter_kernel_test (pinned 0.7.0) suites for the four Hearth kernels, against one shared real gateway.

Each suite runs one kernel (one Spark session) for all its tests; a suite enables every test its language allows.
Not enabled, and why: stdout/stderr for SQL (a query prints nothing, it returns a table); display_data for Scala,
SQL and Java (their interpreters have no display()); inspection and the pager for Scala and SQL (their interpreters
offer no documentation); clear_output for Scala, SQL and Java (only the Python interpreter has clear_output())."""
import json
import time

import jupyter_kernel_test
import pytest
from jupyter_client.manager import start_new_kernel

KINDS = ("spark", "sql", "java")


@pytest.fixture(scope="session")
def hearth_kernels(kernelspecs):
    """The installed pyspark kernelspec, plus same-jar kernelspecs for Scala, SQL and Java (kind set in their env)."""
    kernels = kernelspecs / "share" / "jupyter" / "kernels"
    spec = json.loads((kernels / "hearth-pyspark" / "kernel.json").read_text())
    for kind in KINDS:
        directory = kernels / f"hearth-protocol-{kind}"
        directory.mkdir(exist_ok=True)
        test_spec = dict(spec, display_name=f"Hearth {kind} (protocol test)",
                         env=dict(spec["env"], HEARTH_KERNEL_KIND=kind), metadata={"hearth": {"kind": kind}})
        (directory / "kernel.json").write_text(json.dumps(test_spec))
    return kernels


class HearthKernelTests(jupyter_kernel_test.KernelTests):
    """A suite whose kernel has its Spark session started before the tests, which allow 15 s per reply."""
    __test__ = False
    warmup = ""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=cls.kernel_name, startup_timeout=60)
        reply = cls.kc.execute_interactive(cls.warmup, timeout=300, store_history=False)
        assert reply["content"]["status"] == "ok", reply["content"]

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)


@pytest.mark.usefixtures("hearth_kernels")
class TestPySparkKernel(HearthKernelTests):
    __test__ = True
    kernel_name = "hearth-pyspark"
    warmup = "warm = spark.range(1).count()"
    language_name = "python"
    file_extension = ".py"
    code_hello_world = "print('hello, world')"
    code_stderr = "import sys; print('oops', file=sys.stderr)"
    completion_samples = [{"text": "zi", "matches": {"zip"}}, {"text": "spark.rang", "matches": {"spark.range"}}]
    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n    return x * 2\n\n"]
    incomplete_code_samples = ["print('''hello", "def f(x):", "for i in range(3):\n    print(i)", "total = (1 +"]
    invalid_code_samples = ["x = (1, 2]", "print('hello)"]
    code_page_something = "print?"
    code_generate_error = "raise ValueError('boom')"
    code_execute_result = [
        {"code": "1+2+3", "result": "6"},
        {"code": "[n * n for n in range(1, 4)]", "result": "[1, 4, 9]"},
        {"code": "spark.range(3)", "mime": "text/html"},
    ]
    code_display_data = [
        {"code": "display('shown')", "mime": "text/plain"},
        {"code": "display(spark.range(2))", "mime": "text/html"},
    ]
    code_history_pattern = "1?2?3"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "zip"
    code_clear_output = "print('soon gone')\nclear_output()"

    def test_stop_on_error_aborts_the_cells_queued_behind_a_failing_one(self):
        self.flush_channels()
        failing = self.kc.execute("import time\ntime.sleep(1)\n1 / 0")
        queued = [self.kc.execute("print('must not run')"), self.kc.execute("aborted_cell_ran = True")]
        replies = {}
        for _ in range(3):
            reply = self.kc.get_shell_msg(timeout=60)
            replies[reply["parent_header"]["msg_id"]] = reply["content"]
        assert replies[failing]["status"] == "error" and replies[failing]["ename"] == "ZeroDivisionError"
        assert [replies[q]["status"] for q in queued] == ["aborted", "aborted"]
        self.flush_channels()
        reply, outputs = self.execute_helper("'aborted_cell_ran' in globals()")
        assert reply["content"]["status"] == "ok", "a cell sent after the error runs"
        assert [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"] == ["False"]

    def test_stop_on_error_false_lets_the_next_cell_run(self):
        self.flush_channels()
        self.kc.execute("1 / 0", stop_on_error=False)
        queued = self.kc.execute("after_error = 42")
        first, second = self.kc.get_shell_msg(timeout=60), self.kc.get_shell_msg(timeout=60)
        assert first["content"]["status"] == "error"
        assert second["parent_header"]["msg_id"] == queued and second["content"]["status"] == "ok"

    def test_interrupt_request_on_control_is_answered_while_a_cell_runs_and_cancels_it(self):
        self.flush_channels()
        running = self.kc.execute("import time\nfor _ in range(600):\n    time.sleep(0.1)")
        time.sleep(2)
        started = time.monotonic()
        self.km.interrupt_kernel()  # interrupt_mode "message": an interrupt_request on the control channel
        reply = self.kc.get_shell_msg(timeout=60)
        assert reply["parent_header"]["msg_id"] == running
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        assert time.monotonic() - started < 30, "the cell stopped long before its minute was up"


@pytest.mark.usefixtures("hearth_kernels")
class TestPySparkIopubWelcome(jupyter_kernel_test.IopubWelcomeTests):
    kernel_name = "hearth-pyspark"
    support_iopub_welcome = True


@pytest.mark.usefixtures("hearth_kernels")
class TestScalaKernel(HearthKernelTests):
    __test__ = True
    kernel_name = "hearth-protocol-spark"
    warmup = "val warm = spark.range(1).count()"
    language_name = "scala"
    file_extension = ".scala"
    code_hello_world = 'println("hello, world")'
    code_stderr = 'System.err.println("oops")'
    completion_samples = [{"text": "spark.rang", "matches": {"range"}}]
    complete_code_samples = ["val x = 1", "def f(x: Int) = {\n  x * 2\n}", 'val s = "}"']
    incomplete_code_samples = ["def f(x: Int) = {", 'val s = """multi', "/* a comment"]
    invalid_code_samples = ["val x = (1 + 2}", 'val s = "open']
    code_generate_error = 'throw new IllegalStateException("boom")'
    code_execute_result = [{"code": "1 + 2"}, {"code": '"hearth".length'}]
    code_history_pattern = "1 ? 2"
    supported_history_operations = ("tail", "range", "search")


@pytest.mark.usefixtures("hearth_kernels")
class TestSqlKernel(HearthKernelTests):
    __test__ = True
    kernel_name = "hearth-protocol-sql"
    warmup = "SELECT 1"
    language_name = "sql"
    file_extension = ".sql"
    completion_samples = [{"text": "SEL", "matches": {"SELECT"}}]
    complete_code_samples = ["SELECT 1;", "SELECT ';' AS semicolon;", "SELECT 1; -- done"]
    incomplete_code_samples = ["SELECT 1", "SELECT 'open;", "SELECT (1 + 2;"]
    invalid_code_samples = ["SELECT 1);"]
    code_generate_error = "SELEC 1"
    code_execute_result = [
        {"code": "SELECT 1 + 2 AS three", "mime": "text/plain"},
        {"code": "SELECT 'hello' AS greeting", "mime": "text/html"},
    ]
    code_history_pattern = "SELECT 1 + 2*"
    supported_history_operations = ("tail", "range", "search")


@pytest.mark.usefixtures("hearth_kernels")
class TestJavaKernel(HearthKernelTests):
    __test__ = True
    kernel_name = "hearth-protocol-java"
    warmup = "long warm = spark.range(1).count();"
    language_name = "java"
    file_extension = ".java"
    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'
    completion_samples = [{"text": "spark.rang", "matches": {"range("}}]
    complete_code_samples = ["int x = 1;", 'String s = "}";', "1 + 2"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", 'String s = """\n  text block']
    invalid_code_samples = ["}", 'String s = "open;']
    code_page_something = "spark?"
    code_generate_error = 'throw new IllegalStateException("boom");'
    code_execute_result = [{"code": "1 + 2", "result": "3"}, {"code": '"hearth".length()', "result": "6"}]
    code_history_pattern = "1 ? 2"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "spark"

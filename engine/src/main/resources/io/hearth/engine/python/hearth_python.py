"""Hearth's Python driver: the Python half of a pyspark session.

The engine JVM (PythonProcess.java) owns the SparkContext and starts this script with PYSPARK_GATEWAY_PORT and
PYSPARK_GATEWAY_SECRET set, so pyspark connects to the engine instead of starting a JVM of its own. This script wraps
the engine's SparkContext and SparkSession, then runs the statements it pulls from the engine one at a time in one
namespace, pushing what they print to the engine as it is printed and reporting each outcome as JSON.
"""

import ast
import base64
import builtins
import inspect as _inspect
import io
import json
import linecache
import os
import re
import reprlib
import rlcompleter
import signal
import socket
import sys
import sysconfig
import threading
import time
import traceback
import types

_DRIVER_FILE = __file__
_CELL_PREFIX = "<cell "
_STOP_REFUSAL = (
    "The Spark context is shared by this session and cannot be stopped from a statement; "
    "delete the session instead."
)


class SharedSparkContextError(RuntimeError):
    """Raised when a statement tries to stop the session's shared SparkContext or SparkSession."""


class _State:
    """What the signal handler, the JVM calls and the output writers need to know about the statement in progress."""

    def __init__(self):
        self.statement_id = None
        self.user_code_running = False
        # A SIGINT that came while the statement was inside a JVM call or this driver, not raised yet.
        self.interrupt_pending = False
        # When a SIGINT first found the statement waiting for the answer to its current JVM call (time.monotonic()).
        self.jvm_wait_since = None

    def set_user_code_running(self, running):
        self.user_code_running = running
        self.clear_interrupt()

    def clear_interrupt(self):
        self.interrupt_pending = False
        self.jvm_wait_since = None


def _watch_lifeline():
    # The engine keeps our stdin open and never writes to it: end of file means the engine is gone, so we go too,
    # whatever the user's code is doing.
    try:
        while os.read(0, 65536):
            pass
    except OSError:
        pass
    os._exit(0)


class _OutputPump:
    """Batches what statements print and pushes it to the engine from a background thread, a few ms after writing.

    Writing straight through py4j on every write would cost a round trip per print; batching for a short moment
    keeps output prompt (a print before a long sleep arrives at once) while a tight print loop stays cheap.
    """

    _LINGER_SECONDS = 0.01
    _MAX_PENDING_CHARS = 1 << 20

    def __init__(self, bridge, state):
        self._bridge = bridge
        self._state = state
        self._lock = threading.Lock()  # guards _pending and _size
        self._send_lock = threading.Lock()  # keeps batches in order between the pump thread and flush()
        self._pending = []  # [statement_id, stream, [text, ...]]
        self._size = 0
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hearth-output-pump", daemon=True)

    def start(self):
        self._thread.start()

    def write(self, stream, text):
        statement_id = self._state.statement_id
        if statement_id is None:
            # Not inside a statement (a thread the user left running): the session log keeps it.
            sys.__stderr__.write(text)
            return
        with self._lock:
            last = self._pending[-1] if self._pending else None
            if last is not None and last[0] == statement_id and last[1] == stream:
                last[2].append(text)
            else:
                self._pending.append([statement_id, stream, [text]])
            self._size += len(text)
            full = self._size >= self._MAX_PENDING_CHARS
        if full:
            self.flush()  # back-pressure: a flood of output waits for the engine instead of filling memory
        else:
            self._wake.set()

    def flush(self):
        """Sends everything written so far; returns when the engine has it."""
        with self._send_lock:
            with self._lock:
                batch, self._pending, self._size = self._pending, [], 0
            for statement_id, stream, parts in batch:
                self._bridge.output(statement_id, stream, "".join(parts))

    def _run(self):
        while True:
            self._wake.wait()
            time.sleep(self._LINGER_SECONDS)
            self._wake.clear()
            try:
                self.flush()
            except Exception as e:  # the engine is going away; the lifeline thread will end us
                sys.__stderr__.write("hearth: could not send output: %r\n" % (e,))


class _StreamWriter(io.TextIOBase):
    """sys.stdout / sys.stderr for statements: every write goes to the output pump."""

    def __init__(self, pump, stream):
        super().__init__()
        self._pump = pump
        self._stream = stream
        self._buffer = _BinaryWriter(self)

    @property
    def name(self):
        return "<%s>" % self._stream

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "strict"

    @property
    def buffer(self):
        return self._buffer

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        if text:
            self._pump.write(self._stream, text)
        return len(text)

    def flush(self):
        self._pump.flush()  # an explicit flush (print(..., flush=True)) means now, not in a few ms


class _BinaryWriter(io.RawIOBase):
    """sys.stdout.buffer for code that writes bytes: decoded as UTF-8 and sent like text."""

    def __init__(self, text_writer):
        super().__init__()
        self._text = text_writer

    def writable(self):
        return True

    def write(self, data):
        data = bytes(data)
        self._text.write(data.decode("utf-8", "replace"))
        return len(data)


class _AbandonedCall(BaseException):
    """Raised by the SIGINT handler in py4j's wait for a JVM answer that will not come soon; _JvmCalls catches it.

    Not an Exception, so that py4j's handlers let it through untouched (its own KeyboardInterrupt handler would write to
    the connection and log a traceback into the cell's output).
    """


# A JVM call still running this long after an interrupt ignores interrupts (Java's blocking socket calls do): it is left
# at the engine's next signal, which it repeats every 0.5 s.
_ABANDON_AFTER_SECONDS = 0.4


class _Interrupts:
    """Turns the engine's SIGINT into a KeyboardInterrupt in the user's code, where it is safe.

    In the user's code it is raised at once. Inside py4j (a JVM call) or this driver, raising would leave a py4j
    connection with an unread answer, breaking every later call, so it is kept pending instead: the engine interrupts
    the JVM thread serving the call (and cancels the statement's Spark jobs), the call returns with an exception, and
    _JvmCalls raises the KeyboardInterrupt in its place. A JVM call that ignores the interrupt is left running after
    _ABANDON_AFTER_SECONDS: the KeyboardInterrupt comes at once and the connection, whose answer will never be read, is
    closed (the statement's next call opens a fresh one). The engine repeats the signal until the statement stops.
    """

    def __init__(self, state):
        self._state = state
        import py4j
        import py4j.clientserver
        import py4j.java_gateway

        self._py4j_dir = os.path.dirname(py4j.__file__) + os.sep
        # The frames of a wait for a JVM call's answer, innermost first, below _JvmCalls.send_command.
        self._answer_wait = (socket.SocketIO.readinto.__code__,
                             py4j.clientserver.ClientServerConnection.send_command.__code__,
                             py4j.java_gateway.GatewayClient.send_command.__code__,
                             _JvmCalls.send_command.__code__)

    def install(self):
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum, frame):
        state = self._state
        if not state.user_code_running:
            return
        if self._in_user_code(frame):
            state.clear_interrupt()
            raise KeyboardInterrupt
        state.interrupt_pending = True
        if self._waiting_for_jvm_answer(frame) and _called_from_user_code(frame):
            now = time.monotonic()
            if state.jvm_wait_since is None:
                state.jvm_wait_since = now
            elif now - state.jvm_wait_since >= _ABANDON_AFTER_SECONDS:
                state.clear_interrupt()
                raise _AbandonedCall

    def _waiting_for_jvm_answer(self, frame):
        for code in self._answer_wait:
            if frame is None or frame.f_code is not code:
                return False
            frame = frame.f_back
        return True

    def _in_user_code(self, frame):
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename.startswith(_CELL_PREFIX):
                return True
            if filename == _DRIVER_FILE or filename.startswith(self._py4j_dir):
                return False
            frame = frame.f_back
        return False


class _JvmCalls:
    """Wraps the py4j client's send_command, which every call from Python to the JVM goes through, for cancels.

    When a call the statement made returns while an interrupt is pending, the call raises KeyboardInterrupt instead of
    giving its answer: the answer has been read, so the connection stays in step. A call _Interrupts gave up waiting for
    has its connection closed, so that its late answer is never read as the answer to another call; the statement goes
    on over a new connection, served by a new JVM thread, which the engine is told about.
    """

    def __init__(self, client, bridge, state):
        self._client = client
        self._bridge = bridge
        self._state = state
        self._send = client.send_command
        self._statement_thread = threading.get_ident()

    def install(self):
        self._client.send_command = self.send_command

    def send_command(self, command, retry=True, binary=False):
        try:
            answer = self._send(command, retry, binary)
        except _AbandonedCall:
            connection = self._client.get_thread_connection()
            if connection is not None:
                connection.close()
            self._resume_statement()
            raise KeyboardInterrupt from None
        except Exception:
            if self._state.interrupt_pending and self._interrupt_due():
                raise KeyboardInterrupt from None
            raise
        if self._state.interrupt_pending and not binary and self._interrupt_due():
            self._release(answer)
            raise KeyboardInterrupt
        return answer

    def _resume_statement(self):
        try:
            self._bridge.resumeStatement(self._state.statement_id)
        except Exception as e:  # its JVM thread then lacks the job tag: the statement's later jobs are not tagged
            sys.__stderr__.write("hearth: could not move the statement to a new JVM thread: %r\n" % (e,))
        self._state.clear_interrupt()  # the KeyboardInterrupt goes now, for the signal that came meanwhile too

    def _interrupt_due(self):
        """Whether the statement's pending interrupt is raised now: the call came from its code (not this driver's)."""
        state = self._state
        if threading.get_ident() != self._statement_thread:
            return False
        state.jvm_wait_since = None  # the call it measured has returned
        if not state.user_code_running or not _called_from_user_code(sys._getframe(2)):
            return False
        state.clear_interrupt()
        return True

    def _release(self, answer):
        """Lets the JVM drop what the call returned: py4j does so when the Python object for it is collected."""
        from py4j.protocol import get_return_value

        try:
            get_return_value(answer, self._client)
        except Exception:
            pass


def _called_from_user_code(frame):
    """Whether the user's code is the caller: going outwards from frame, a cell comes before this driver's own code."""
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith(_CELL_PREFIX):
            return True
        if code.co_filename == _DRIVER_FILE and code is not _JvmCalls.send_command.__code__:
            return False
        frame = frame.f_back
    return False


# Where a value's _repr_<x>_ method puts its MIME type, as IPython's formatters do; text/plain is always repr().
_REPR_METHODS = (
    ("_repr_html_", "text/html"),
    ("_repr_markdown_", "text/markdown"),
    ("_repr_svg_", "image/svg+xml"),
    ("_repr_png_", "image/png"),
    ("_repr_jpeg_", "image/jpeg"),
    ("_repr_latex_", "text/latex"),
    ("_repr_json_", "application/json"),
)
_BINARY_TYPES = ("image/png", "image/jpeg")
_MATPLOT_LINE = re.compile(r"^(\s*)%matplot\s+([A-Za-z_][\w.]*)\s*$")


def _is_json_type(mime):
    return mime == "application/json" or mime.endswith("+json")


def _mime_value(mime, value):
    """A representation as it goes into the JSON bundle, or None when it cannot: images as base64 text."""
    if isinstance(value, tuple) and len(value) == 2:  # (data, metadata), as IPython allows
        value = value[0]
    if value is None:
        return None
    if mime in _BINARY_TYPES:
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(bytes(value)).decode("ascii")
        return value if isinstance(value, str) else None
    if _is_json_type(mime):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return None
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            return None
        return value
    return value if isinstance(value, str) else None


class _Figures:
    """matplotlib figures: rendered as PNG, and the ones a cell leaves open shown at its end, then closed."""

    def __init__(self):
        self.shown = set()  # ids of figures shown explicitly during the current cell

    @staticmethod
    def is_figure(value):
        figure_module = sys.modules.get("matplotlib.figure")
        return figure_module is not None and isinstance(value, figure_module.Figure)

    @staticmethod
    def bundle(figure):
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
        return {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"), "text/plain": repr(figure)}

    def take_open(self):
        """The bundles of the figures still open that were not shown yet; every open figure is closed."""
        pyplot = sys.modules.get("matplotlib.pyplot")  # never imported here: a cell without plots pays nothing
        if pyplot is None:
            return []
        bundles = []
        for number in pyplot.get_fignums():
            figure = pyplot.figure(number)
            if id(figure) not in self.shown:
                bundles.append(self.bundle(figure))
        pyplot.close("all")
        self.shown.clear()
        return bundles

    def matplot(self, pyplot):
        """sparkmagic's `%matplot plt`: the current figure as an image value, closed so it is not shown twice."""
        figure = pyplot.gcf()
        data = self.bundle(figure)
        pyplot.close(figure)
        return _Image(data)


class _Image:
    """A value that is a ready MIME bundle (what `%matplot` produces)."""

    def __init__(self, data):
        self._data = data

    def __repr__(self):
        return self._data.get("text/plain", "<image>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        return dict(self._data)


def _bundle_chars(data):
    """The characters of a MIME bundle's text: a lower bound of the UTF-8 bytes the engine counts, cheap to take."""
    return sum(len(v) if isinstance(v, str) else len(json.dumps(v)) for v in data.values())


class _Rich:
    """Turns a value into its MIME bundle: Spark DataFrames as tables, figures as PNG, _repr_*_ methods, repr()."""

    def __init__(self, bridge, figures):
        self._bridge = bridge
        self._figures = figures
        from pyspark.sql import DataFrame

        self._spark_dataframe = DataFrame

    def bundle(self, value):
        if value is None:
            return {}
        if isinstance(value, self._spark_dataframe):
            return self._dataframe(value)
        if self._figures.is_figure(value):
            self._figures.shown.add(id(value))
            return self._figures.bundle(value)
        data = {}
        # Looked up on the type: a py4j JavaObject answers any attribute name with a JVM method stub.
        mimebundle = getattr(type(value), "_repr_mimebundle_", None)
        if callable(mimebundle):
            rendered = self._call(mimebundle, value, include=None, exclude=None)
            if isinstance(rendered, tuple) and len(rendered) == 2:
                rendered = rendered[0]
            if isinstance(rendered, dict):
                for mime, representation in rendered.items():
                    converted = _mime_value(mime, representation) if isinstance(mime, str) else None
                    if converted is not None:
                        data[mime] = converted
        for method_name, mime in _REPR_METHODS:
            method = getattr(type(value), method_name, None)
            if mime not in data and callable(method):
                converted = _mime_value(mime, self._call(method, value))
                if converted is not None:
                    data[mime] = converted
        if not isinstance(data.get("text/plain"), str):
            data["text/plain"] = repr(value)
        return data

    def _dataframe(self, df):
        from py4j.protocol import Py4JJavaError

        try:
            return json.loads(self._bridge.dataFrameBundle(df._jdf))
        except Py4JJavaError as e:
            # The query failed when its rows were fetched: raise it as pyspark would (AnalysisException, ...).
            from pyspark.errors.exceptions.captured import convert_exception

            raise convert_exception(e.java_exception) from None

    @staticmethod
    def _call(method, value, **kwargs):
        # A broken _repr_x_ costs that representation only, as in IPython.
        try:
            return method(value, **kwargs)
        except Exception:
            return None


# The display type that stands for IPython's clear_output(); the Hearth kernel knows it (ExecuteHandler).
_CLEAR_OUTPUT_MIME = "application/vnd.hearth.clear-output+json"


class _Display:
    """`display(obj, ...)` for cells: each object goes to the engine at once as a rich display of the statement."""

    def __init__(self, bridge, pump, state, rich):
        self._bridge = bridge
        self._pump = pump
        self._state = state
        self._rich = rich

    def __call__(self, *objects, **ignored):
        for obj in objects:
            self.send(self._rich.bundle(obj))

    def clear_output(self, wait=False):
        """IPython's clear_output() for cells: a display of Hearth's clear-output type, which the kernel turns into
        Jupyter's clear_output message (other clients see it as a display they do not know)."""
        self.send({_CLEAR_OUTPUT_MIME: {"wait": bool(wait)}})

    def send(self, bundle):
        statement_id = self._state.statement_id
        if statement_id is None or not bundle:
            return  # shown from a thread outlasting its statement: there is no cell to show it in
        self._pump.flush()  # what was printed before the display arrives before it
        self._bridge.display(statement_id, json.dumps(bundle))


class _Exit:
    """exit() and quit() for cells: site's versions close sys.stdin first, which would break input() afterwards."""

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return "Use %s() to end this statement; the interpreter keeps running." % self._name

    def __call__(self, code=None):
        raise SystemExit(code)


class _Cells:
    """Runs statements with REPL semantics in one namespace and reports results and errors as the engine wants them."""

    def __init__(self, namespace, state, rich, figures, display):
        self._ns = namespace
        self._state = state
        self._rich = rich
        self._figures = figures
        self._display = display

    def run(self, task):
        statement_id = task["id"]
        filename = "%s%d>" % (_CELL_PREFIX, task["count"])
        written = task["code"]
        code = self._magics(written)
        # Registered so tracebacks and inspect can show the cell's lines, as for a file: as the user wrote them (the
        # magics rewrite keeps line numbers).
        linecache.cache[filename] = (len(written), None, written.splitlines(True), filename)
        try:
            head, last = self._compile(code, filename)
        except (SyntaxError, ValueError, OverflowError) as e:
            return self._syntax_error(e)
        # The statement's job tag is on this thread's JVM thread already (the bridge's takeStatement sets it, finish
        # drops it): under pinned-thread py4j that JVM thread submits this cell's jobs.
        self._state.statement_id = statement_id
        try:
            self._state.set_user_code_running(True)
            try:
                if head is not None:
                    exec(head, self._ns)
                value = eval(last, self._ns) if last is not None else None
                data = self._rich.bundle(value)
            finally:
                self._state.set_user_code_running(False)
            if value is not None:
                self._ns["_"] = value
            size = _bundle_chars(data)
            if size > task["max_output"]:
                # Over the statement's whole output limit on its own: not worth sending, the engine says so.
                return {"status": "ok", "data": {}, "left_out": size}
            return {"status": "ok", "data": data}
        except BaseException as e:  # SystemExit and KeyboardInterrupt end the statement, not the interpreter
            return self._error(e)
        finally:
            self._show_open_figures()
            self._state.statement_id = None

    def rehearse(self, task):
        """Runs a task as run() does, in a scratch copy of the namespace: the user's variables, `_` and the cell's
        lines in linecache stay as they were."""
        namespace = self._ns
        self._ns = dict(namespace)
        try:
            return self.run(task)
        finally:
            self._ns = namespace
            linecache.cache.pop("%s%d>" % (_CELL_PREFIX, task["count"]), None)

    def _show_open_figures(self):
        """Figures a cell drew and did not show are shown at its end, as a notebook's inline backend does."""
        try:
            bundles = self._figures.take_open()
        except Exception as e:  # a figure that cannot be drawn must not turn a finished cell into a driver failure
            bundles = [{"text/plain": "(the figure could not be rendered: %r)" % (e,)}]
        for bundle in bundles:
            self._display.send(bundle)

    @staticmethod
    def _magics(code):
        """sparkmagic's `%matplot plt` line: the figure as the cell's value when last, displayed otherwise.

        Rewritten line for line, so that line numbers in tracebacks stay the cell's own.
        """
        lines = code.split("\n")
        last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
        for i, line in enumerate(lines):
            match = _MATPLOT_LINE.match(line)
            if match:
                indent, target = match.groups()
                call = "_hearth_matplot(%s)" % target
                lines[i] = indent + (call if i == last and not indent else "display(%s)" % call)
        return "\n".join(lines)

    @staticmethod
    def _compile(code, filename):
        """All statements but a final expression run as a module; that expression is evaluated for its value."""
        tree = ast.parse(code, filename, "exec")
        body = tree.body
        last = None
        if body and isinstance(body[-1], ast.Expr):
            last = compile(ast.Expression(body[-1].value), filename, "eval")
            body = body[:-1]
        head = compile(ast.Module(body, type_ignores=[]), filename, "exec") if body else None
        return head, last

    @staticmethod
    def _syntax_error(e):
        return {
            "status": "error",
            "ename": type(e).__name__,
            "evalue": str(e),
            "traceback": traceback.format_exception_only(type(e), e),
        }

    @staticmethod
    def _error(e):
        # Only the user's frames: not this driver's exec/eval below the cell, nor pyspark's and py4j's above it.
        te = traceback.TracebackException(type(e), e, e.__traceback__, compact=True)
        _keep_user_frames(te, set())
        lines = list(te.format())
        evalue = str(e)
        if isinstance(e, SystemExit):
            # A bare "3" or "" would read as a crash; say what happened and that the session is fine.
            evalue = _exit_message(e)
            lines[-1] = "SystemExit: %s\n" % evalue
        return {
            "status": "error",
            "ename": type(e).__name__,
            "evalue": evalue,
            "traceback": lines,
        }


def _exit_message(e):
    code = e.code
    said = "" if code is None else (" with %r" % (code,) if not isinstance(code, int) else " with code %d" % code)
    return ("exit()/sys.exit() was called%s: it ends this statement only; the interpreter keeps running "
            "with its variables. Use the kernel's restart (or delete the session) to start afresh." % said)


def _library_dirs():
    """Where the Python installation keeps its code: the standard library and installed packages."""
    dirs = set()
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(name)
        if path:
            dirs.add(os.path.realpath(path) + os.sep)
    return tuple(sorted(dirs))


_LIBRARY_DIRS = _library_dirs()


def _is_user_frame(filename):
    """A frame of the user's own code: a cell, or a file of theirs, but not Python's, a package's or Hearth's."""
    if filename.startswith(_CELL_PREFIX):
        return True
    if filename == _DRIVER_FILE or filename.startswith("<"):
        return False
    return not os.path.realpath(filename).startswith(_LIBRARY_DIRS)


def _keep_user_frames(te, seen):
    """Keeps only the user's frames in a traceback and in its chained causes, as a notebook user wants to read it."""
    if te is None or id(te) in seen:
        return
    seen.add(id(te))
    te.stack = traceback.StackSummary.from_list([f for f in te.stack if _is_user_frame(f.filename)])
    _keep_user_frames(te.__cause__, seen)
    _keep_user_frames(te.__context__, seen)


def _refuse_stop(self, *args, **kwargs):
    raise SharedSparkContextError(_STOP_REFUSAL)


class _Introspection:
    """Answers completion and inspection requests on its own thread, so Tab and Shift-Tab work while a statement runs.

    Completion offers names from the session namespace, builtins and keywords, and attributes of the expression
    before the dot. Inspection documents the dotted name under the cursor (or the callable whose parenthesis the
    cursor is in). Both only look names and attributes up: they never call user code.
    """

    _TOKEN = re.compile(r"[A-Za-z_][\w.]*$|$")
    _NAME = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*")
    # rlcompleter decorates for typing at a prompt ("print(", "f()", "while ", "try:"); a notebook wants the name.
    _DECORATION = re.compile(r"(\(\)?|:| )$")

    def __init__(self, bridge, namespace):
        self._bridge = bridge
        self._namespace = namespace
        self._completer = rlcompleter.Completer(namespace)

    def start(self):
        threading.Thread(target=self._run, name="hearth-introspection", daemon=True).start()

    def complete(self, code, cursor):
        before = code[:cursor]
        token = self._TOKEN.search(before).group(0)
        matches = []
        if token or before.endswith("."):
            seen = set()
            state = 0
            while True:
                try:
                    match = self._completer.complete(token, state)
                except Exception:  # evaluating the expression before the dot failed: nothing to offer
                    break
                if match is None:
                    break
                match = self._DECORATION.sub("", match)
                if match not in seen:
                    seen.add(match)
                    matches.append(match)
                state += 1
        return {"matches": matches, "cursor_start": cursor - len(token), "cursor_end": cursor}

    def inspect(self, code, cursor, detail_level):
        name = self._name_at(code, cursor)
        obj = self._lookup(name) if name else _MISSING
        if obj is _MISSING:
            return {"found": False, "data": {}}
        lines = ["Type:      " + type(obj).__name__]
        try:
            lines.append("Signature: " + name + str(_inspect.signature(obj)))
        except (TypeError, ValueError):
            pass
        if not callable(obj):
            lines.append("Value:     " + reprlib.repr(obj))
        doc = _inspect.getdoc(obj)
        if doc:
            lines.append("Docstring:\n" + doc)
        if detail_level > 0:
            try:
                lines.append("Source:\n" + _inspect.getsource(obj))
            except (OSError, TypeError):
                pass
        return {"found": True, "data": {"text/plain": "\n".join(lines)}}

    def _name_at(self, code, cursor):
        before_cursor = None
        for m in self._NAME.finditer(code):
            if m.start() <= cursor <= m.end():
                return m.group(0)
            if m.end() <= cursor and code[m.end():cursor].lstrip().startswith("("):
                before_cursor = m.group(0)  # inside this callable's parentheses
        return before_cursor

    def _lookup(self, dotted):
        first, *rest = dotted.split(".")
        if first in self._namespace:
            obj = self._namespace[first]
        elif hasattr(builtins, first):
            obj = getattr(builtins, first)
        else:
            return _MISSING
        for part in rest:
            obj = getattr(obj, part, _MISSING)
            if obj is _MISSING:
                return _MISSING
        return obj

    def _run(self):
        while True:
            request = self._bridge.takeIntrospection()
            if request is None:
                return
            request = json.loads(request)
            try:
                if request["op"] == "inspect":
                    reply = self.inspect(request["code"], request["cursor"], request.get("detail_level", 0))
                else:
                    reply = self.complete(request["code"], request["cursor"])
            except Exception as e:  # never leave the engine waiting
                sys.__stderr__.write("hearth: %s failed: %r\n" % (request["op"], e))
                reply = {"found": False, "data": {}, "matches": [], "cursor_start": request["cursor"],
                         "cursor_end": request["cursor"]}
            self._bridge.introspected(request["id"], json.dumps(reply))


_MISSING = object()


def _attach_to_engine():
    """Connects to the engine's py4j server and wraps its SparkContext and SparkSession; returns them and the bridge."""
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    gateway = launch_gateway()  # connects to PYSPARK_GATEWAY_PORT: no JVM is started
    bridge = gateway.entry_point
    jsc = bridge.javaSparkContext()
    sc = SparkContext(gateway=gateway, jsc=jsc, conf=SparkConf(_jconf=jsc.getConf()))
    spark = SparkSession(sc, bridge.sparkSession())
    # The context belongs to the session, not to a statement: stopping it would break every later statement.
    SparkContext.stop = _refuse_stop
    SparkSession.stop = _refuse_stop
    return bridge, sc, spark


def _warm_error_conversion(sc):
    """Converts one JVM error the way pyspark converts every error a JVM call raises, so the first cancel is quick.

    A cancelled Spark job ends its action with a JVM error, which pyspark turns into a Python one through some forty
    JVM calls (class look-ups, Spark's SQL conf); the first time, class loading on both sides made that take 0.2-0.4 s
    more, all of it after the job had stopped. Only a speed-up: a failure is logged, never fatal.
    """
    try:
        from pyspark.errors.exceptions.captured import convert_exception

        str(convert_exception(sc._jvm.org.apache.spark.SparkException("hearth warm-up")))
    except Exception as e:
        sys.__stderr__.write("hearth: warming up error conversion failed: %r\n" % (e,))


def _user_namespace(sc, spark):
    # A real module named __main__, as in a script or REPL: functions and classes defined in cells then pickle by
    # value (cloudpickle) for RDD and UDF closures, and plain pickle finds them in sys.modules["__main__"].
    main = types.ModuleType("__main__")
    main.__dict__.update({"__builtins__": builtins, "spark": spark, "sc": sc})
    sys.modules["hearth_driver"] = sys.modules["__main__"]  # keeps this script's module alive
    sys.modules["__main__"] = main
    return main.__dict__


def main():
    # The engine has no display: figures are drawn off-screen and sent as PNG.
    os.environ["MPLBACKEND"] = "Agg"
    threading.Thread(target=_watch_lifeline, name="hearth-lifeline", daemon=True).start()
    state = _State()
    try:
        bridge, sc, spark = _attach_to_engine()
    except Exception as e:
        if type(e).__name__ != "Py4JJavaError":
            raise
        # The JVM's wait for Spark failed: the engine reports Spark's reason, and a Java stack trace here would push it
        # out of the session log's tail.
        print("Python stops: Spark did not start (the engine's log says why)", file=sys.stderr, flush=True)
        os._exit(1)
    _JvmCalls(sc._gateway._gateway_client, bridge, state).install()
    # Beside the first statements rather than before them: it is done long before a first cancel, usually.
    threading.Thread(target=_warm_error_conversion, args=(sc,), name="hearth-warm-up", daemon=True).start()
    namespace = _user_namespace(sc, spark)
    # Look like an interactive interpreter to user code: no script path, imports from the working directory.
    sys.argv = [""]
    sys.path[0] = ""
    sys.stdin = io.StringIO("")  # the real stdin is the engine's lifeline; input() gets end of file
    pump = _OutputPump(bridge, state)
    pump.start()
    sys.stdout = _StreamWriter(pump, "stdout")
    sys.stderr = _StreamWriter(pump, "stderr")
    _Interrupts(state).install()  # after SparkContext(), which installs a SIGINT handler of its own
    figures = _Figures()
    rich = _Rich(bridge, figures)
    display = _Display(bridge, pump, state, rich)
    namespace["display"] = display
    namespace["clear_output"] = display.clear_output
    namespace["_hearth_matplot"] = figures.matplot
    namespace["exit"] = _Exit("exit")
    namespace["quit"] = _Exit("quit")
    cells = _Cells(namespace, state, rich, figures, display)
    _Introspection(bridge, namespace).start()
    bridge.ready("%d.%d.%d" % sys.version_info[:3])
    while True:
        task = bridge.takeStatement()
        if task is None:
            break
        task = json.loads(task)
        try:
            outcome = cells.rehearse(task) if task.get("rehearsal") else cells.run(task)
        except BaseException as e:  # a failure of this driver itself: report it rather than leave the engine waiting
            outcome = {"status": "error", "ename": "HearthInternalError", "evalue": repr(e),
                       "traceback": traceback.format_exception(type(e), e, e.__traceback__)}
        pump.flush()  # all output reaches the engine before the outcome does
        bridge.finish(task["id"], json.dumps(outcome))
    os._exit(0)


if __name__ == "__main__":
    main()

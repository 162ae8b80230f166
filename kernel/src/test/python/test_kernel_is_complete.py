"""is_complete_request through a real Jupyter client against the real kernel processes: the kernel answers it
itself, so no gateway is needed (the kernelspecs point at a closed port). ipykernel's answers are the reference for
Python; a cell headed by a language magic is judged in that language."""
import pytest
from conftest import free_port, hearth_env, install_kernels
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

CASES = {
    "pyspark": [
        ("x = = 1", "invalid"), ("x = 1 +", "invalid"), ("print x", "invalid"), ("f(a=)", "invalid"),
        ("x.", "invalid"), ("if x:\n    pass\nelse", "invalid"), ("print('hello)", "invalid"),
        ("def f(x):", "incomplete"), ("for i in range(3):\n    print(i)", "incomplete"), ("total = (1 +", "incomplete"),
        ("@property", "incomplete"),
        ("x = -1", "complete"), ("from . import x", "complete"), ("f\"{x=}\"", "complete"), ("%logs", "complete"),
        ("print?", "complete"),
        # The cell's language decides: a %%sql cell waits for its `;` as the SQL kernel does.
        ("%%sql\nSELECT 1", "incomplete"), ("%%sql\nSELECT 1;", "complete"), ("%%sql\nSELECT 1 +;", "invalid"),
        ("%%scala\nval x = = 1", "invalid"), ("%%sql", "incomplete"), ("%%info", "complete"),
    ],
    "spark": [
        ("val x = = 1", "invalid"), ("val x = (1 + 2}", "invalid"), ("val x =", "incomplete"),
        ("if (ready)", "incomplete"), ("import spark.implicits._", "complete"), ("spark?", "complete"),
    ],
    "java": [
        ("int x = = 1;", "invalid"), ("f(a + );", "invalid"), ("int x =", "incomplete"), ("1 + 2", "complete"),
        ("import java.util.*;", "complete"), ("spark?", "complete"),
    ],
    "sql": [
        ("SELECT * FROM t WHERE x = = 1;", "invalid"), ("SELECT 1 +;", "invalid"), ("SELECT 1", "incomplete"),
        ("SELECT count(*) FROM t;", "complete"),
    ],
}


@pytest.fixture(scope="module")
def specs(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("is-complete-prefix")
    closed = f"http://127.0.0.1:{free_port()}"
    return KernelSpecManager(kernel_dirs=[str(install_kernels(prefix, closed) / "kernels")])


@pytest.mark.parametrize("kind", sorted(CASES))
def test_is_complete_judges_the_code_in_its_own_language(specs, kind):
    km = KernelManager(kernel_name=f"hearth-{kind}", kernel_spec_manager=specs)
    km.start_kernel(env=hearth_env())
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        answers = {}
        for code, _ in CASES[kind]:
            msg_id = kc.is_complete(code)
            reply = kc.get_shell_msg(timeout=10)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = kc.get_shell_msg(timeout=10)
            answers[code] = reply["content"]["status"]
        assert answers == dict(CASES[kind])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

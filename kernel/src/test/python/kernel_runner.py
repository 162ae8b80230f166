"""A Jupyter client that runs where its kernel runs (Jupyter's client and kernel talk over loopback ZMQ, so a test on
another host drives this instead), started inside the notebook host's namespace.

Usage: python kernel_runner.py KERNEL_NAME
Starts the kernel (its kernelspec found through JUPYTER_PATH), prints {"ready": ...}, then takes one JSON request per
stdin line and answers on stdout, one JSON object per line:
  {"code": C, "timeout": S}           -> {"output": {"type": T, "content": {...}, "at": s}} per output as it arrives
                                         (at: CLOCK_MONOTONIC, the same clock in every namespace),
                                         then {"reply": {...}, "elapsed": s}
  {"notebook": IN, "out": OUT, "timeout": S} -> runs every cell of IN with nbclient on this kernel, writes OUT,
                                         then {"notebook_done": OUT, "elapsed": s} (or {"notebook_error": text})
End of stdin shuts the kernel down (which deletes its gateway session) and exits.
"""
import json
import sys
import time
import traceback

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

OUTPUT_TYPES = ("stream", "execute_result", "display_data", "update_display_data", "error")


def say(message):
    sys.stdout.write(json.dumps(message, default=str) + "\n")
    sys.stdout.flush()


def run_code(kc, code, timeout):
    started = time.monotonic()

    def hook(msg):
        if msg["msg_type"] in OUTPUT_TYPES:
            say({"output": {"type": msg["msg_type"], "content": msg["content"], "at": time.monotonic()}})

    try:
        reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
        say({"reply": reply["content"], "elapsed": time.monotonic() - started})
    except TimeoutError:
        say({"reply": {"status": "timeout"}, "elapsed": time.monotonic() - started})


def run_notebook(km, path, out, timeout):
    started = time.monotonic()
    nb = nbformat.read(path, as_version=4)
    try:
        NotebookClient(nb, km=km, timeout=timeout).execute()
    except Exception:  # the cell's error is the test's evidence: hand it over whole
        nbformat.write(nb, out)
        say({"notebook_error": traceback.format_exc()})
        return
    nbformat.write(nb, out)
    say({"notebook_done": out, "elapsed": time.monotonic() - started})


def main(kernel_name):
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel()
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        say({"ready": kernel_name})
        for line in sys.stdin:
            request = json.loads(line)
            if "code" in request:
                run_code(kc, request["code"], request.get("timeout", 300))
            else:
                run_notebook(km, request["notebook"], request["out"], request.get("timeout", 600))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


if __name__ == "__main__":
    main(sys.argv[1])

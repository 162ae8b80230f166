package io.hearth.engine.python;

import io.hearth.engine.start.EngineStartException;
import io.hearth.engine.start.StartPhases;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Checks the session's Python and starts its interpreter on a thread of its own, beside Spark's start: the pyspark
 * version probe, Python's start and its pyspark imports then cost no time of their own, and Python waits for Spark only
 * to wrap its objects. The thread ends by itself once Python is attached, or has failed, or the interpreter is closed.
 */
public final class PythonAttach {

    private final CompletableFuture<Void> attached = new CompletableFuture<>();

    private PythonAttach() {
    }

    /** Starts the check, then the interpreter, recording their phases {@code pyspark-check} and {@code python-attach}. */
    public static PythonAttach start(PysparkVersionCheck check, String sparkVersion, PythonInterpreter python,
                                     StartPhases phases) {
        PythonAttach attach = new PythonAttach();
        Thread thread = new Thread(() -> attach.run(check, sparkVersion, python, phases), "hearth-python-attach");
        thread.setDaemon(true);
        thread.start();
        return attach;
    }

    private void run(PysparkVersionCheck check, String sparkVersion, PythonInterpreter python, StartPhases phases) {
        try {
            long started = System.nanoTime();
            check.check(sparkVersion);
            long checked = System.nanoTime();
            phases.record("pyspark-check", started, checked);
            python.start();
            phases.record("python-attach", checked, System.nanoTime());
            attached.complete(null);
        } catch (EngineStartException | RuntimeException e) {
            attached.completeExceptionally(e);
        }
    }

    /** Waits until Python is attached; throws why it could not be (a wrong pyspark, a broken Python). */
    public void await() throws EngineStartException {
        try {
            attached.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EngineStartException start) {
                throw start;
            }
            throw new EngineStartException("the Python interpreter failed while starting: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException("interrupted while waiting for the Python interpreter");
        }
    }
}

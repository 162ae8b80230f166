package io.hearth.kernel.cell;

import io.hearth.kernel.gateway.GatewayException;
import io.hearth.kernel.gateway.GatewayTlsException;
import io.hearth.kernel.gateway.GatewayUnreachableException;
import java.util.ArrayList;
import java.util.List;

/** The errors the kernel itself shows in a cell (as opposed to the user's own Python errors, passed through as given). */
public final class KernelErrors {

    /** How many session log lines a failed session shows in the cell. */
    static final int LOG_TAIL_LINES = 30;

    private KernelErrors() {
    }

    /** The gateway could not be used: unreachable, misconfigured, refusing, or its TLS not trusted. */
    public static CellFailure gateway(GatewayException e) {
        if (e instanceof GatewayUnreachableException) {
            return new CellFailure(ErrorContent.ofKernel("GatewayUnreachableError", e.getMessage(),
                    "Start a gateway with `bin/hearth gateway` (or `bin/hearth lab`, which starts JupyterLab together with one),",
                    "or set HEARTH_GATEWAY_URL to the address of a running gateway before starting the kernel.",
                    "Then run the cell again."));
        }
        if (e instanceof GatewayTlsException tls) {
            return new CellFailure(ErrorContent.ofKernel("GatewayTlsError", e.getMessage(),
                    tls.advice().toArray(String[]::new)));
        }
        return new CellFailure(ErrorContent.ofKernel("GatewayError", e.getMessage()));
    }

    /** The statement was cancelled (the user interrupted the kernel). */
    public static CellFailure cancelled() {
        return new CellFailure(ErrorContent.ofKernel("KeyboardInterrupt", "", "The statement was cancelled."));
    }

    /** The user interrupted while the session was still starting. */
    public static CellFailure interruptedWhileStarting(int sessionId) {
        return new CellFailure(ErrorContent.ofKernel("KeyboardInterrupt", "",
                "Interrupted while Spark session " + sessionId + " was starting.",
                "It keeps starting in the background; the next cell uses it."));
    }

    /** The session died or was stopped; {@code logTail} is the end of its log. */
    public static CellFailure sessionGone(int sessionId, String state, List<String> logTail) {
        List<String> lines = new ArrayList<>();
        lines.add("SparkSessionError: Spark session " + sessionId + " is " + state + ".");
        if (logTail.isEmpty()) {
            lines.add("The gateway has no log for it.");
        } else {
            lines.add("The last lines of its log:");
            int from = Math.max(0, logTail.size() - LOG_TAIL_LINES);
            for (String line : logTail.subList(from, logTail.size())) {
                lines.add("    " + line);
            }
        }
        lines.add("The next cell starts a new session.");
        return new CellFailure(new ErrorContent("SparkSessionError", "Spark session " + sessionId + " is " + state, lines));
    }

    /** The gateway no longer knows the session (it was deleted, or the gateway restarted). */
    public static CellFailure sessionUnknown(int sessionId) {
        return new CellFailure(ErrorContent.ofKernel("SparkSessionError",
                "Spark session " + sessionId + " no longer exists on the gateway",
                "It was deleted, or the gateway was restarted; its variables are gone.",
                "The next cell starts a new session."));
    }

    /** The gateway answered with something the kernel cannot interpret. */
    public static CellFailure unexpected(String what) {
        return new CellFailure(ErrorContent.ofKernel("GatewayError", what));
    }

    /** A bug in the kernel: the details go to the kernel's log, the cell gets a short notice. */
    public static ErrorContent kernelBug(RuntimeException e) {
        return ErrorContent.ofKernel("KernelError", String.valueOf(e),
                "This is a bug in the Hearth kernel; its log (the Jupyter server's output) has the details.");
    }
}

package io.hearth.kernel;

import com.google.gson.JsonObject;
import io.github.spencerpark.jupyter.channels.ShellHandler;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code execute_request} handler: busy, {@code execute_input}, streams, result or error, {@code execute_reply},
 * idle. It replaces the basekernel's, which names errors after Java exception classes and prints Java stack traces.
 */
public final class ExecuteHandler implements ShellHandler<ExecuteRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ExecuteHandler.class);

    private final CellRunner runner;
    // Only the shell thread runs execute requests, one at a time.
    private int executionCount;

    /** A handler that runs cells with {@code runner}. */
    public ExecuteHandler(CellRunner runner) {
        this.runner = runner;
    }

    @Override
    public void handle(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        ExecuteRequest request = message.getContent();
        String code = request.getCode() == null ? "" : request.getCode();
        // Silent requests (frontends' own probes) neither count nor broadcast anything, as in IPython.
        boolean silent = request.isSilent();
        if (!silent) {
            executionCount++;
        }
        int count = executionCount;
        JupyterMessages messages = new JupyterMessages(env);
        messages.busy();
        try {
            if (!silent) {
                messages.executeInput(code, count);
            }
            run(code, count, silent, messages);
        } finally {
            messages.idle();
        }
    }

    private void run(String code, int count, boolean silent, JupyterMessages messages) {
        ErrorContent error;
        try {
            JsonObject result = runner.run(code, silent ? CellSink.DISCARD : new CellSink() {
                @Override
                public void stream(String name, String text) {
                    messages.stream(name, text);
                }

                @Override
                public void display(JsonObject data) {
                    messages.displayData(data);
                }

                @Override
                public void display(JsonObject data, String displayId) {
                    messages.displayData(data, displayId, false);
                }

                @Override
                public void updateDisplay(JsonObject data, String displayId) {
                    messages.displayData(data, displayId, true);
                }
            });
            if (!silent && result.size() > 0) {
                messages.executeResult(count, result);
            }
            messages.executeOk(count);
            return;
        } catch (CellFailure failure) {
            error = failure.content();
        } catch (RuntimeException bug) {
            LOG.error("Unexpected failure running a cell", bug);
            error = KernelErrors.kernelBug(bug);
        }
        if (!silent) {
            messages.error(error);
        }
        messages.executeError(count, error);
    }
}

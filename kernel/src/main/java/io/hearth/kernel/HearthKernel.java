package io.hearth.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.messages.Header;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.request.HistoryRequest;
import io.github.spencerpark.jupyter.messages.request.InterruptRequest;
import io.github.spencerpark.jupyter.messages.request.KernelInfoRequest;
import io.github.spencerpark.jupyter.messages.request.ShutdownRequest;
import java.util.Map;

/** The "PySpark (Hearth)" Jupyter kernel: Python cells run as statements of a gateway session. */
public final class HearthKernel extends BaseKernel {

    private static final String IMPLEMENTATION = "hearth";

    private final String gatewayUrl;
    private final ExecuteHandler execute;
    private final SessionKeeper sessions;
    private final Interrupts interrupts;
    private final LanguageInfo languageInfo = new LanguageInfo.Builder("python")
            .version("3")
            .mimetype("text/x-python")
            .fileExtension(".py")
            .pygments("ipython3")
            .codemirror(Map.of("name", "ipython", "version", 3))
            .exporter("python")
            .build();

    /** A kernel whose cells go to {@code execute}, whose session {@code sessions} keeps. */
    public HearthKernel(String gatewayUrl, ExecuteHandler execute, SessionKeeper sessions, Interrupts interrupts) {
        this.gatewayUrl = gatewayUrl;
        this.execute = execute;
        this.sessions = sessions;
        this.interrupts = interrupts;
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }

    @Override
    public String getBanner() {
        return "PySpark (Hearth) " + implementationVersion() + "\n"
                + "Python cells run on a long-lived Spark session of the Hearth gateway at " + gatewayUrl + ".";
    }

    /** Never called: {@link ExecuteHandler} handles execute requests instead of the basekernel's eval loop. */
    @Override
    public DisplayData eval(String code) {
        throw new UnsupportedOperationException("cells run through ExecuteHandler");
    }

    /** Completion by the session's interpreter, through the gateway; the cursor counts code points, as Jupyter's does. */
    @Override
    public ReplacementOptions complete(String code, int at) {
        Completions c = sessions.complete(code, at);
        return new ReplacementOptions(c.candidates(), c.cursorStart(), c.cursorEnd());
    }

    /** Shift-Tab documentation from the session's interpreter; null (nothing found) before the first cell. */
    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        Inspection inspection = sessions.inspect(code, at, extraDetail ? 1 : 0);
        if (!inspection.found() || inspection.data() == null) {
            return null;
        }
        DisplayData data = new DisplayData();
        inspection.data().entrySet().forEach(e -> data.putData(e.getKey(),
                e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue()));
        return data;
    }

    @Override
    public void interrupt() {
        interrupts.request();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        // A restart starts a new kernel process, which starts a new session: this one is never reused.
        sessions.shutdown();
    }

    /** Installs the basekernel's handlers, then replaces those this kernel answers differently. */
    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.EXECUTE_REQUEST, execute);
        connection.setHandler(MessageType.KERNEL_INFO_REQUEST, this::kernelInfo);
        connection.setHandler(MessageType.INTERRUPT_REQUEST, this::interruptRequest);
        connection.setHandler(MessageType.SHUTDOWN_REQUEST, this::shutdownRequest);
        connection.setHandler(MessageType.HISTORY_REQUEST, this::historyRequest);
    }

    /** The {@code kernel_info_reply} content (with the {@code status} the basekernel's reply lacks). */
    JsonObject kernelInfoContent() {
        JsonObject language = new JsonObject();
        language.addProperty("name", languageInfo.getName());
        language.addProperty("version", languageInfo.getVersion());
        language.addProperty("mimetype", languageInfo.getMimetype());
        language.addProperty("file_extension", languageInfo.getFileExtension());
        language.addProperty("pygments_lexer", languageInfo.getPygmentsLexer());
        language.add("codemirror_mode", new Gson().toJsonTree(languageInfo.getCodemirrorMode()));
        language.addProperty("nbconvert_exporter", languageInfo.getNbconvertExporter());

        JsonObject content = JupyterMessages.ok();
        // The basekernel writes 5.3 into every header; claim the same here.
        content.addProperty("protocol_version", Header.PROTOCOL_VERISON);
        content.addProperty("implementation", IMPLEMENTATION);
        content.addProperty("implementation_version", implementationVersion());
        content.add("language_info", language);
        content.addProperty("banner", getBanner());
        content.addProperty("debugger", false);
        content.add("help_links", new JsonArray());
        return content;
    }

    private void kernelInfo(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        JupyterMessages messages = new JupyterMessages(env);
        messages.busy();
        messages.reply(MessageType.KERNEL_INFO_REPLY, kernelInfoContent());
        messages.idle();
    }

    /** Runs on the control thread while the shell thread may be running a cell; the cell sees the request. */
    private void interruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        JupyterMessages messages = new JupyterMessages(env);
        messages.busy();
        interrupts.request();
        messages.reply(MessageType.INTERRUPT_REPLY, JupyterMessages.ok());
        messages.idle();
    }

    private void shutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        boolean restart = message.getContent() != null && message.getContent().isRestart();
        JupyterMessages messages = new JupyterMessages(env);
        messages.busy();
        onShutdown(restart);
        JsonObject content = JupyterMessages.ok();
        content.addProperty("restart", restart);
        messages.reply(MessageType.SHUTDOWN_REPLY, content);
        messages.idle();
        // The basekernel's channel loop closes the connection once the handler returns; main() then exits.
        env.markForShutdown();
    }

    /** The kernel keeps no history (the frontend's own does); an empty answer beats the basekernel's silence. */
    private void historyRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        JupyterMessages messages = new JupyterMessages(env);
        messages.busy();
        JsonObject content = JupyterMessages.ok();
        content.add("history", new JsonArray());
        messages.reply(MessageType.HISTORY_REPLY, content);
        messages.idle();
    }

    private static String implementationVersion() {
        String version = HearthKernel.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}

package io.hearth.kernel;

import io.hearth.kernel.cell.Interrupts;
import io.hearth.kernel.execution.CellRunner;
import io.hearth.kernel.execution.SessionKeeper;
import io.hearth.kernel.gateway.ActiveGateway;
import io.hearth.kernel.gateway.GatewaySettings;
import io.hearth.kernel.jupyter.HistoryLog;
import io.hearth.kernel.jupyter.RequestHandler;
import io.hearth.kernel.livy.StatementKind;
import io.hearth.kernel.magic.CellLanguage;
import io.hearth.kernel.magic.MagicDispatcher;
import io.hearth.kernel.magic.Magics;
import io.hearth.kernel.magic.StandardMagics;
import io.hearth.kernel.requests.ExecuteHandler;
import io.hearth.kernel.requests.KernelRequests;
import java.util.Map;

/**
 * One kernel's parts, wired: the gateway in use, the session, the magics in front of one cell runner per statement
 * kind, and the handler of each Jupyter request type. {@link KernelMain} serves them on Jupyter's channels.
 */
public final class Kernel implements AutoCloseable {

    private final ActiveGateway gateway;
    private final SessionKeeper sessions;
    private final KernelRequests requests;

    /** A kernel of {@code kind} whose first gateway {@code settings} name. */
    public Kernel(GatewaySettings settings, StatementKind kind) {
        this.gateway = new ActiveGateway(settings);
        Interrupts interrupts = new Interrupts();
        this.sessions = new SessionKeeper(gateway, kind, interrupts);
        Magics magics = StandardMagics.all();
        CellLanguage cellLanguage = new CellLanguage(magics, kind);
        MagicDispatcher cells = new MagicDispatcher(gateway, sessions, magics,
                StandardMagics.languages(k -> new CellRunner(gateway, sessions, interrupts, k)), cellLanguage);
        HistoryLog history = new HistoryLog();
        ExecuteHandler execute = new ExecuteHandler(cells, sessions, cellLanguage, history);
        this.requests = new KernelRequests(gateway, cellLanguage, execute, sessions, interrupts, history);
    }

    /** The handler of each request type, on shell and control alike. */
    public Map<String, RequestHandler> handlers() {
        return requests.handlers();
    }

    /** The request handlers themselves. */
    public KernelRequests requests() {
        return requests;
    }

    /** The gateway in use. */
    public ActiveGateway gateway() {
        return gateway;
    }

    /** The kernel's session. */
    public SessionKeeper sessions() {
        return sessions;
    }

    /** Deletes the session the kernel created ({@link SessionKeeper#shutdown()}); closes the gateway's client. */
    @Override
    public void close() {
        sessions.shutdown();
        gateway.close();
    }
}

package io.hearth.kernel.gateway;

import java.io.Closeable;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway this kernel uses now: the one place that knows it. Cells, completion, the session keeper and every
 * magic ask it for the client at each use, so that after {@code %%configure {"gatewayUrl": ...}} they all talk to
 * the new gateway. It owns every client it makes and closes the one it replaces.
 */
public final class ActiveGateway implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveGateway.class);

    // The credentials travel to any gateway a %%configure names; only the URL changes.
    private final GatewaySettings settings;
    // Made at the first use, not at the kernel's start (its classes take a moment to load: the first kernel_info_reply
    // need not wait for them); replaced by switchTo on the shell thread; read by the control thread (shutdown) too.
    // Guarded by this.
    private GatewayClient client;
    private GatewaySettings current;

    /** Starts with the gateway {@code settings} name. */
    public ActiveGateway(GatewaySettings settings) {
        this.settings = settings;
        this.current = settings;
    }

    /** The client of the gateway in use. */
    public synchronized GatewayClient client() {
        if (client == null) {
            client = new GatewayClient(current);
        }
        return client;
    }

    /** The URL of the gateway in use. */
    public synchronized String url() {
        return GatewayUrl.normalized(current.url());
    }

    /**
     * Uses the gateway at {@code url} from now on, with the same credentials; nothing changes when it is the one in
     * use already. {@code from} says where the URL came from, for error messages.
     *
     * @return true when the gateway changed
     */
    public boolean switchTo(String url, String from) {
        String wanted = GatewayUrl.normalized(url);
        GatewayClient previous;
        synchronized (this) {
            if (wanted.equals(url())) {
                return false;
            }
            previous = client;
            current = settings.withUrl(wanted, from);
            client = null;
        }
        LOG.info("Now using the gateway at {}", wanted);
        if (previous != null) {
            closeQuietly(previous);
        }
        return true;
    }

    @Override
    public void close() {
        GatewayClient c;
        synchronized (this) {
            c = client;
        }
        if (c != null) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(GatewayClient c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("Closing the client of {} failed: {}", c.baseUrl(), e.getMessage());
        }
    }
}

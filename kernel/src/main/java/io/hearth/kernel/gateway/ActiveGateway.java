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
    // Replaced by switchTo on the shell thread; read by the control thread (shutdown) too.
    private volatile GatewayClient client;

    /** Starts with the gateway {@code settings} name. */
    public ActiveGateway(GatewaySettings settings) {
        this.settings = settings;
        this.client = new GatewayClient(settings);
    }

    /** The client of the gateway in use. */
    public GatewayClient client() {
        return client;
    }

    /** The URL of the gateway in use. */
    public String url() {
        return client.baseUrl();
    }

    /**
     * Uses the gateway at {@code url} from now on, with the same credentials; nothing changes when it is the one in
     * use already. {@code from} says where the URL came from, for error messages.
     *
     * @return true when the gateway changed
     */
    public boolean switchTo(String url, String from) {
        String wanted = GatewayUrl.normalized(url);
        if (wanted.equals(client.baseUrl())) {
            return false;
        }
        GatewayClient previous = client;
        client = new GatewayClient(settings.withUrl(wanted, from));
        LOG.info("Now using the gateway at {}", wanted);
        closeQuietly(previous);
        return true;
    }

    @Override
    public void close() {
        closeQuietly(client);
    }

    private static void closeQuietly(GatewayClient c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("Closing the client of {} failed: {}", c.baseUrl(), e.getMessage());
        }
    }
}

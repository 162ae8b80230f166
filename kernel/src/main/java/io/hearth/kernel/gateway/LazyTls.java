package io.hearth.kernel.gateway;

import java.io.IOException;
import java.net.Socket;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

/** {@link GatewayTls}, set up at the first TLS connection (or the first {@link #get}) rather than at the kernel's start. */
final class LazyTls implements TlsSocketStrategy {

    private final Optional<CaFile> caFile;
    /** Guarded by this. */
    private GatewayTls tls;
    /** Guarded by this. */
    private TlsSocketStrategy strategy;

    LazyTls(Optional<CaFile> caFile) {
        this.caFile = caFile;
    }

    /** The gateway's TLS checks, set up now if not yet. */
    synchronized GatewayTls get() {
        if (tls == null) {
            tls = GatewayTls.of(caFile);
        }
        return tls;
    }

    private synchronized TlsSocketStrategy strategy() {
        if (strategy == null) {
            strategy = get().socketStrategy();
        }
        return strategy;
    }

    @Override
    public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
            throws IOException {
        return strategy().upgrade(socket, target, port, attachment, context);
    }
}

package io.hearth.gateway.tls;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Run in a JVM of its own whose java.security allows TLS 1.1 again (the JDK's defaults refuse it on both sides, which
 * would hide what the gateway's own settings do): first a control, a TLS 1.1 handshake with a server of its own made
 * from the same certificate, which must succeed; then TLS 1.1 and TLS 1.2 with the gateway. Prints one line for each.
 * Arguments: the gateway's port, ca.pem, server.pem, server-key.pem.
 */
public final class TlsProbe {

    private TlsProbe() {}

    public static void main(String[] args) throws Exception {
        int gatewayPort = Integer.parseInt(args[0]);
        TlsClient client = new TlsClient(Path.of(args[1]));
        ServerIdentity identity = new PemIdentity(Path.of(args[2]), Path.of(args[3])).load();
        try (SSLServerSocket control = tls11Server(identity)) {
            Thread server = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) control.accept()) {
                    s.startHandshake();
                } catch (Exception e) {
                    System.out.println("control server: " + e);
                }
            }, "tls-probe-control");
            server.start();
            System.out.println("control " + client.handshake(control.getLocalPort(), new String[] {"TLSv1.1"}).protocol());
            server.join();
        }
        for (String protocol : new String[] {"TLSv1.1", "TLSv1.2"}) {
            try {
                System.out.println("gateway " + client.handshake(gatewayPort, new String[] {protocol}).protocol());
            } catch (java.io.IOException e) {
                System.out.println("gateway " + protocol + " refused: " + e);
            }
        }
    }

    private static SSLServerSocket tls11Server(ServerIdentity identity) throws Exception {
        char[] password = "in-memory".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("probe", identity.key(), password, identity.chain().toArray(new Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress());
        socket.setEnabledProtocols(new String[] {"TLSv1.1"});
        return socket;
    }
}

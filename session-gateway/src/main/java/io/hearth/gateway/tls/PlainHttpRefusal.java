package io.hearth.gateway.tls;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.OptionalSslConnectionFactory;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;

/**
 * In front of TLS on the HTTPS port: a connection whose first bytes are not a TLS handshake gets, if they look like an
 * HTTP request, a 400 saying to use https:// with this port, and is closed; the request is never served. Anything else
 * is closed at once. A client speaking plain HTTP thus neither hangs nor reads TLS bytes as garbage.
 */
final class PlainHttpRefusal extends OptionalSslConnectionFactory {

    /** A Host header worth repeating: a name or address and a port, nothing that could break the answer. */
    private static final Pattern HOST = Pattern.compile("(?im)^host:[ \\t]*([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\])"
            + "(?::\\d{1,5})?[ \\t]*\\r?$");
    private static final Pattern HTTP_METHOD = Pattern.compile("^[A-Z]{3,10} ");

    PlainHttpRefusal(SslConnectionFactory tls) {
        super(tls, null);
    }

    @Override
    protected void otherProtocol(ByteBuffer buffer, EndPoint endPoint) {
        String start = StandardCharsets.ISO_8859_1.decode(buffer.duplicate()).toString();
        if (!HTTP_METHOD.matcher(start).find()) {
            endPoint.close();
            return;
        }
        byte[] body = ("{\"msg\": \"This port speaks HTTPS only: use " + httpsUrl(start, endPoint) + "\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        ByteBuffer answer = ByteBuffer.allocate(head.length() + body.length);
        answer.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
        endPoint.write(Callback.from(endPoint::close, x -> endPoint.close()), answer);
    }

    /** https:// with the host the client asked for (its Host header), else the address it reached, and this port. */
    private static String httpsUrl(String request, EndPoint endPoint) {
        int port = endPoint.getLocalSocketAddress() instanceof InetSocketAddress local ? local.getPort() : 443;
        Matcher m = HOST.matcher(request);
        String host;
        if (m.find()) {
            host = m.group(1);
        } else if (endPoint.getLocalSocketAddress() instanceof InetSocketAddress local) {
            String address = local.getAddress().getHostAddress();
            host = address.contains(":") ? "[" + address + "]" : address;
        } else {
            host = "this-host";
        }
        return "https://" + host + ":" + port + "/";
    }
}

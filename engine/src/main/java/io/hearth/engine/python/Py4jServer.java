package io.hearth.engine.python;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import py4j.CallbackClient;
import py4j.Gateway;
import py4j.GatewayServer;
import py4j.JavaServer;
import py4j.Py4JServerConnection;
import py4j.PythonClient;
import py4j.commands.CallCommand;
import py4j.commands.ConstructorCommand;

/**
 * The py4j server one Python process attaches to, on loopback with a token: py4j's {@code ClientServer} model (each
 * Python thread has a JVM thread of its own), except that method and constructor calls from Python are reported to
 * the bridge's {@link PythonCalls}, so that a cancel can interrupt the thread serving a statement while, and only
 * while, it runs one.
 */
final class Py4jServer implements AutoCloseable {

    private final JavaServer javaServer;

    /** Starts listening on a free loopback port. */
    Py4jServer(PythonBridge bridge, String token) {
        // What ClientServer's constructor does, with our commands: ClientServer cannot take commands and a token both.
        PythonClient pythonClient = new PythonClient(null, null, GatewayServer.DEFAULT_PYTHON_PORT,
                GatewayServer.defaultAddress(), CallbackClient.DEFAULT_MIN_CONNECTION_TIME, TimeUnit.SECONDS,
                SocketFactory.getDefault(), null, true, GatewayServer.DEFAULT_READ_TIMEOUT, token);
        javaServer = new JavaServer(bridge, 0, GatewayServer.DEFAULT_CONNECT_TIMEOUT,
                GatewayServer.DEFAULT_READ_TIMEOUT, List.of(TrackedCall.class, TrackedConstructor.class), pythonClient,
                token);
        pythonClient.setGateway(javaServer.getGateway());
        pythonClient.setJavaServer(javaServer);
        javaServer.start();
    }

    int port() {
        return javaServer.getListeningPort();
    }

    /** Stops accepting connections and closes the open ones. */
    @Override
    public void close() {
        javaServer.shutdown(true);
    }

    private static PythonCalls callsOf(Gateway gateway) {
        return ((PythonBridge) gateway.getEntryPoint()).calls();
    }

    /** py4j's method call, reported to {@link PythonCalls}; py4j makes one per connection, by reflection. */
    public static final class TrackedCall extends CallCommand {

        private PythonCalls calls;

        @Override
        public void init(Gateway gateway, Py4JServerConnection connection) {
            super.init(gateway, connection);
            calls = callsOf(gateway);
        }

        @Override
        public void execute(String commandName, BufferedReader reader, BufferedWriter writer) throws IOException {
            calls.enter();
            try {
                super.execute(commandName, reader, writer);
            } finally {
                calls.exit();
            }
        }
    }

    /** py4j's constructor call ({@code java.net.Socket(host, port)} may block too), reported the same way. */
    public static final class TrackedConstructor extends ConstructorCommand {

        private PythonCalls calls;

        @Override
        public void init(Gateway gateway, Py4JServerConnection connection) {
            super.init(gateway, connection);
            calls = callsOf(gateway);
        }

        @Override
        public void execute(String commandName, BufferedReader reader, BufferedWriter writer) throws IOException {
            calls.enter();
            try {
                super.execute(commandName, reader, writer);
            } finally {
                calls.exit();
            }
        }
    }
}

package io.hearth.gateway.rest;

import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.Statement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A statement's Livy JSON as UTF-8 bytes, for answers written without blocking. A finished statement never changes:
 * its bytes (up to tens of megabytes) are rendered once and shared by every answer writing them while any does, so
 * a thousand clients reading one large result hold one copy, not a thousand.
 */
final class StatementBytes {

    private final StatementJson json;
    private final Map<String, WeakReference<byte[]>> finished = new ConcurrentHashMap<>();

    StatementBytes(StatementJson json) {
        this.json = json;
    }

    byte[] of(Session session, Statement st) throws IOException {
        if (!st.state().isFinished()) {
            return render(st);
        }
        String key = session.id() + "/" + st.id();
        WeakReference<byte[]> shared = finished.get(key);
        byte[] bytes = shared == null ? null : shared.get();
        if (bytes == null) {
            bytes = render(st);
            finished.values().removeIf(r -> r.get() == null);
            finished.put(key, new WeakReference<>(bytes));
        }
        return bytes;
    }

    private byte[] render(Statement st) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Writer out = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
        json.write(out, st);
        out.flush();
        return bytes.toByteArray();
    }
}

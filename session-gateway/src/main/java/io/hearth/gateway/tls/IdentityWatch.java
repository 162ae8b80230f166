package io.hearth.gateway.tls;

import io.hearth.gateway.threads.NamedThreadFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at an {@link IdentitySource}'s files every few seconds and hands a changed, good identity on. A broken or
 * half-written one (a certificate whose new key is not there yet) keeps the identity in use; it is logged only when
 * it is still so at the next look, so that a rotation that writes two files one after the other logs nothing.
 */
final class IdentityWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityWatch.class);

    private final IdentitySource source;
    private final Consumer<ServerIdentity> use;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("hearth-tls-watch", true));
    private byte[] inUse;
    private byte[] broken;
    private boolean brokenLogged;

    /**
     * Takes the files as they are now as the identity in use: made before that identity is loaded, so that a change
     * in between is seen (and loaded once more) rather than missed.
     */
    IdentityWatch(IdentitySource source, Consumer<ServerIdentity> use) {
        this.source = source;
        this.use = use;
        this.inUse = fingerprint();
    }

    /** Looks every {@code interval} from now on, until {@link #close()}. */
    void start(Duration interval) {
        thread.scheduleWithFixedDelay(this::look, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void look() {
        byte[] now = fingerprint();
        if (Arrays.equals(now, inUse)) {
            broken = null;
            return;
        }
        try {
            use.accept(source.load());
            inUse = now;
            broken = null;
        } catch (RuntimeException e) {
            if (Arrays.equals(now, broken)) {
                if (!brokenLogged) {
                    brokenLogged = true;
                    LOG.warn("New TLS files not used, the current certificate is kept: {}", e.getMessage());
                }
            } else {
                broken = now;
                brokenLogged = false;
            }
        }
    }

    /** A digest of the files' contents (a missing or unreadable file counts as its own content). */
    private byte[] fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path f : source.files()) {
                try {
                    digest.update(Files.readAllBytes(f));
                } catch (java.io.IOException e) {
                    digest.update(("unreadable:" + e.getClass().getSimpleName()).getBytes());
                }
                digest.update((byte) 0);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

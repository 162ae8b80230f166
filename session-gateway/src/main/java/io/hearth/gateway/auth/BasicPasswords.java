package io.hearth.gateway.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP Basic ({@code Authorization: Basic base64(user:password)}) against a users file of PBKDF2 hashes.
 *
 * <p>PBKDF2 is slow on purpose (a fraction of a second), and clients such as sparkmagic send the same credentials with
 * every poll. So once a password has been verified, a keyed HMAC of it is remembered for its user: later requests with
 * the same password cost one HMAC. The key is random per gateway process and never leaves memory, so what is remembered
 * is useless outside it.
 */
public final class BasicPasswords implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(BasicPasswords.class);
    private static final String PREFIX = "basic ";
    /** The longest user name a log line quotes. */
    private static final int LOGGED_NAME_CHARS = 64;
    /** A flood answered "busy" is logged once per this, with a count: not a log line per request. */
    private static final long BUSY_LOG_EVERY_NANOS = 10_000_000_000L;

    private final Map<String, PasswordHash> users;
    /** A hash to check when the user is unknown, so an unknown user takes as long as a wrong password. */
    private final PasswordHash decoy;
    private final SecretKeySpec cacheKey;
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final LoginThrottle throttle;
    private final PasswordChecks checks;
    private final AtomicInteger busySinceLog = new AtomicInteger();
    private final AtomicLong busyLoggedAt = new AtomicLong(System.nanoTime() - BUSY_LOG_EVERY_NANOS);

    BasicPasswords(List<CredentialFile.Entry<PasswordHash>> entries, SecureRandom random, LoginThrottle throttle,
                   PasswordChecks checks) {
        this.throttle = throttle;
        this.checks = checks;
        Map<String, PasswordHash> byUser = new HashMap<>();
        int slowest = 1;
        for (CredentialFile.Entry<PasswordHash> e : entries) {
            if (byUser.put(e.user(), e.hash()) != null) {
                throw new IllegalArgumentException("the users file names " + e.user() + " twice");
            }
            slowest = Math.max(slowest, e.hash().iterations());
        }
        this.users = Map.copyOf(byUser);
        char[] nothing = new char[0];
        this.decoy = PasswordHash.create(nothing, slowest, random);
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /** Reads a users file ({@code user:pbkdf2-sha256:...} lines, as {@code hash-password} prints them). */
    public static BasicPasswords fromFile(Path file) throws IOException {
        return new BasicPasswords(CredentialFile.read(file, PasswordHash::parse), new SecureRandom(),
                new LoginThrottle(System::nanoTime), PasswordChecks.forThisMachine());
    }

    @Override
    public Result authenticate(UnaryOperator<String> header, String client) {
        String authorization = header.apply("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return new NotApplicable();
        }
        char[] decoded = decode(authorization.substring(PREFIX.length()).strip());
        if (decoded == null) {
            return new Refused("malformed Basic credentials: expected base64 of user:password");
        }
        try {
            int colon = indexOf(decoded, ':');
            if (colon < 0) {
                return new Refused("malformed Basic credentials: expected base64 of user:password");
            }
            String user = new String(decoded, 0, colon);
            char[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
            try {
                return check(user, password, client);
            } finally {
                Arrays.fill(password, '\0');
            }
        } finally {
            Arrays.fill(decoded, '\0');
        }
    }

    @Override
    public String challenge() {
        return "Basic realm=\"hearth\", charset=\"UTF-8\"";
    }

    @Override
    public String usage() {
        return "Basic <base64 of user:password>";
    }

    @Override
    public String toString() {
        return "BasicPasswords[" + users.size() + " users]";
    }

    @Override
    public void close() {
        checks.close();
    }

    private Result check(String user, char[] password, String client) {
        LoginThrottle.Wait wait = throttle.waitFor(user, client);
        if (wait.blocked()) {
            return new Throttled("Too many wrong passwords for this " + (wait.byUser() ? "user" : "address")
                    + ": wait " + wait.seconds() + " s (Retry-After) before trying again", wait.seconds());
        }
        PasswordHash hash = users.get(user);
        byte[] mac = mac(user, password);
        byte[] known = hash == null ? null : verified.get(user);
        boolean right;
        if (known != null && MessageDigest.isEqual(known, mac)) {
            right = true;
        } else {
            try {
                // An unknown user costs a hash too, so that the time taken does not tell whether a user exists.
                right = checks.run(() -> {
                    if (hash == null) {
                        decoy.matches(password);
                        return false;
                    }
                    return hash.matches(password);
                });
            } catch (PasswordChecks.Busy e) {
                logBusy(user, client);
                return new Throttled("The gateway is busy checking passwords: wait 1 s (Retry-After) and try again", 1);
            }
        }
        if (right) {
            verified.put(user, mac);
            throttle.succeeded(user);
            return new Authenticated(user);
        }
        boolean blocks = throttle.failed(user, client);
        LOG.info("Wrong password for user {} from {}{}", printable(user), client,
                blocks ? ": backing off further password checks for this user or address" : "");
        return new Refused("wrong user or password");
    }

    private void logBusy(String user, String client) {
        int refused = busySinceLog.incrementAndGet();
        long last = busyLoggedAt.get();
        long now = System.nanoTime();
        if (now - last >= BUSY_LOG_EVERY_NANOS && busyLoggedAt.compareAndSet(last, now)) {
            LOG.warn("Too many password checks at once: {} requests answered 429 since the last report, the latest for"
                    + " user {} from {}", refused, printable(user), client);
            busySinceLog.addAndGet(-refused);
        }
    }

    /** A user name fit for one log line: printable ASCII only (no forged lines), and short. */
    private static String printable(String user) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < user.length() && i < LOGGED_NAME_CHARS; i++) {
            char c = user.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.append(user.length() > LOGGED_NAME_CHARS ? "'..." : "'").toString();
    }

    private byte[] mac(String user, char[] password) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(cacheKey);
            m.update(user.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            m.update(bytes);
            Arrays.fill(bytes.array(), (byte) 0);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }

    /** The decoded credentials as characters (so they can be wiped), or null if they are not base64 of UTF-8. */
    private static char[] decode(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            return out;
        } catch (CharacterCodingException e) {
            return null;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static int indexOf(char[] chars, char c) {
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == c) {
                return i;
            }
        }
        return -1;
    }
}

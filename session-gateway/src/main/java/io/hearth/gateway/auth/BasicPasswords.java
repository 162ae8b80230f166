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
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP Basic ({@code Authorization: Basic base64(user:password)}) against a users file of PBKDF2 hashes.
 *
 * <p>PBKDF2 is slow on purpose (a fraction of a second), and clients such as sparkmagic send the same credentials with
 * every poll. So once a password has been verified, a keyed HMAC of it is remembered for its user: later requests with
 * the same password cost one HMAC. The key is random per gateway process and never leaves memory, so what is remembered
 * is useless outside it.
 */
public final class BasicPasswords implements Authenticator {

    private static final String PREFIX = "basic ";

    private final Map<String, PasswordHash> users;
    /** A hash to check when the user is unknown, so an unknown user takes as long as a wrong password. */
    private final PasswordHash decoy;
    private final SecretKeySpec cacheKey;
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

    BasicPasswords(List<CredentialFile.Entry<PasswordHash>> entries, SecureRandom random) {
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
        return new BasicPasswords(CredentialFile.read(file, PasswordHash::parse), new SecureRandom());
    }

    @Override
    public Result authenticate(UnaryOperator<String> header) {
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
                return check(user, password) ? new Authenticated(user) : new Refused("wrong user or password");
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

    private boolean check(String user, char[] password) {
        PasswordHash hash = users.get(user);
        if (hash == null) {
            decoy.matches(password);
            return false;
        }
        byte[] mac = mac(user, password);
        byte[] known = verified.get(user);
        if (known != null && MessageDigest.isEqual(known, mac)) {
            return true;
        }
        if (!hash.matches(password)) {
            return false;
        }
        verified.put(user, mac);
        return true;
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

package io.hearth.gateway.http;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A Livy path segment that names a session or a batch: its numeric id, or else its name. */
public final class IdOrName {

    private IdOrName() {}

    /** The entry whose id (ASCII digits) or name is {@code idOrName}. */
    public static <T> Optional<T> find(String idOrName, Map<Integer, T> byId, Function<T, String> nameOf) {
        if (isNumericId(idOrName)) {
            try {
                return Optional.ofNullable(byId.get(Integer.parseInt(idOrName)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return byId.values().stream().filter(t -> idOrName.equals(nameOf.apply(t))).findFirst();
    }

    /** ASCII digits only: {@link Integer#parseInt} would also read other scripts' digits, making "٣" session 3. */
    public static boolean isNumericId(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}

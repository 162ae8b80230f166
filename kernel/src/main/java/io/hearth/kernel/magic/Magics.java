package io.hearth.kernel.magic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of magics, by name, in the order help lists them. */
public final class Magics {

    private final Map<String, Magic> byName = new LinkedHashMap<>();

    /** A registry of {@code magics}; names must be unique. */
    public Magics(List<Magic> magics) {
        for (Magic magic : magics) {
            if (byName.put(magic.name(), magic) != null) {
                throw new IllegalArgumentException("two magics named " + magic.name());
            }
        }
    }

    /** The magic called {@code name}. */
    public Optional<Magic> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every magic, in registration order. */
    public List<Magic> all() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    /** The magics as written: {@code %%configure, %%info, ..., %logs}. */
    public String written() {
        List<String> names = new ArrayList<>();
        for (Magic magic : byName.values()) {
            names.add(magic.usage().split(" ", 2)[0]);
        }
        return String.join(", ", names);
    }
}

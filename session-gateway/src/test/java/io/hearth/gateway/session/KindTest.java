package io.hearth.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.protocol.StatementKind;
import org.junit.jupiter.api.Test;

/** The gateway's kinds: the runnable ones are exactly the engine's statement kinds, by the same names. */
class KindTest {

    @Test
    void everyStatementKindIsARunnableKindUnderTheSameNames() {
        for (StatementKind sk : StatementKind.values()) {
            Kind kind = Kind.parse(sk.wireName()).orElseThrow();
            assertTrue(kind.isRunnable(), kind.toString());
            assertEquals(sk.wireName(), kind.wireName());
            for (String alias : sk.aliases()) {
                assertEquals(kind, Kind.parse(alias).orElseThrow(), alias);
            }
        }
        assertEquals(StatementKind.values().length, Kind.RUNNABLE.size());
    }

    @Test
    void sessionOnlyKindsAreNotRunnableAndASharedSessionRunsTheDefault() {
        assertFalse(Kind.SHARED.isRunnable());
        assertFalse(Kind.parse("r").orElseThrow().isRunnable());
        assertEquals(StatementKind.DEFAULT.wireName(), Kind.defaultStatementKind().wireName());
    }
}

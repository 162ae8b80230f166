package io.hearth.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PollBackoffTest {

    @Test
    void doublesUpToTheCap() {
        PollBackoff backoff = new PollBackoff(5, 50);
        long[] expected = {5, 10, 20, 40, 50, 50};
        for (long millis : expected) {
            assertEquals(millis, backoff.nextMillis());
        }
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new PollBackoff(0, 50));
        assertThrows(IllegalArgumentException.class, () -> new PollBackoff(60, 50));
    }
}

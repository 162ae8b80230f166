package io.hearth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The back-off's arithmetic and its memory bound, on a clock the test moves (minutes of blocks in no time);
 * {@link PasswordGuessingTest} shows the same over real HTTP.
 */
class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong();
    private final LoginThrottle throttle = new LoginThrottle(now::get);

    @Test
    void eachBlockIsTwiceTheLastUpToFiveMinutes() {
        for (int i = 1; i < LoginThrottle.USER_FREE_FAILURES; i++) {
            assertFalse(throttle.failed("bob", "a" + i), "failure " + i + " blocks nothing yet");
        }
        long[] expected = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300};
        for (long seconds : expected) {
            assertTrue(throttle.failed("bob", "a" + seconds));
            LoginThrottle.Wait wait = throttle.waitFor("bob", "elsewhere");
            assertEquals(Duration.ofSeconds(seconds), wait.remaining());
            assertTrue(wait.byUser());
            advance(wait.remaining());
            assertFalse(throttle.waitFor("bob", "elsewhere").blocked());
        }
    }

    @Test
    void aRightPasswordClearsTheUserButNotTheAddress() {
        for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
            throttle.failed(i < LoginThrottle.USER_FREE_FAILURES ? "bob" : "user" + i, "10.0.0.1");
        }
        throttle.succeeded("bob");
        assertFalse(throttle.waitFor("bob", "10.0.0.2").blocked());
        LoginThrottle.Wait wait = throttle.waitFor("bob", "10.0.0.1");
        assertTrue(wait.blocked());
        assertFalse(wait.byUser());
    }

    @Test
    void countsAreForgottenAfterQuietMinutes() {
        for (int i = 1; i < LoginThrottle.USER_FREE_FAILURES; i++) {
            throttle.failed("bob", "a");
        }
        advance(LoginThrottle.FORGET_AFTER.plusSeconds(1));
        assertFalse(throttle.failed("bob", "b"), "the count started again");
    }

    @Test
    void randomUserNamesEvictTheLeastRecentEntriesInsteadOfGrowingMemory() {
        for (int i = 0; i < LoginThrottle.USER_FREE_FAILURES; i++) {
            throttle.failed("bob", "address-" + i);
        }
        assertTrue(throttle.waitFor("bob", "x").blocked());
        for (int i = 0; i < LoginThrottle.MAX_ENTRIES; i++) {
            throttle.failed("random-" + i, "address-" + i);
        }
        assertFalse(throttle.waitFor("bob", "x").blocked(), "bob's entry was the least recent, so it went");
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}

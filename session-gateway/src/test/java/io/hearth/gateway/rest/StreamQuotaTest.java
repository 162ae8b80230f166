package io.hearth.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.auth.Caller;
import io.hearth.gateway.http.ApiException;
import org.junit.jupiter.api.Test;

class StreamQuotaTest {

    private static final String SETTING = "hearth.statement.max-event-streams";

    @Test
    void aUserPastTheCapGets429NamingTheSettingWhileOtherUsersStillGetStreams() {
        StreamQuota quota = new StreamQuota(2);
        Caller alice = new Caller("alice", false);
        quota.take(alice, SETTING);
        quota.take(alice, SETTING);
        ApiException refused = assertThrows(ApiException.class, () -> quota.take(alice, SETTING));
        assertEquals(429, refused.status());
        assertTrue(refused.getMessage().contains("'alice'") && refused.getMessage().contains(SETTING),
                refused.getMessage());
        quota.take(new Caller("bob", false), SETTING);
    }

    @Test
    void aClosedStreamGivesItsPlaceBackOnceHoweverOftenItIsReleased() {
        StreamQuota quota = new StreamQuota(2);
        Caller alice = new Caller("alice", false);
        Runnable first = quota.take(alice, SETTING);
        quota.take(alice, SETTING);
        first.run();
        first.run();
        quota.take(alice, SETTING);
        assertThrows(ApiException.class, () -> quota.take(alice, SETTING));
    }

    @Test
    void withAuthenticationOffEveryCallerCountsAsOneUser() {
        StreamQuota quota = new StreamQuota(1);
        quota.take(Caller.anonymous(), SETTING);
        ApiException refused = assertThrows(ApiException.class, () -> quota.take(Caller.anonymous(), SETTING));
        assertTrue(refused.getMessage().startsWith("This gateway already has 1 statement event streams open"),
                refused.getMessage());
    }
}

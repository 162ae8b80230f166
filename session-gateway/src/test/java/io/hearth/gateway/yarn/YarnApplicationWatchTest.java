package io.hearth.gateway.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a session says of an application YARN has not run yet (the watch itself runs against the test bed). */
class YarnApplicationWatchTest {

    @Test
    void aWaitingApplicationIsDescribedByItsStateQueueAndDiagnosticsWithoutTheirDate() {
        ResourceManagerClient.AppReport app = new ResourceManagerClient.AppReport("application_1_0002", "ACCEPTED",
                "UNDEFINED", "root.tiny", "[Thu Dec 03 04:48:24 +0000 2026] Application is added to the scheduler and"
                + " is not yet activated. Queue's AM resource limit exceeded. ", "", "");
        assertTrue(app.waiting());
        assertEquals("the YARN application application_1_0002 is ACCEPTED in queue root.tiny, without a container for"
                + " its ApplicationMaster; the ResourceManager says: Application is added to the scheduler and is not"
                + " yet activated. Queue's AM resource limit exceeded.", YarnApplicationWatch.waiting(app));
    }

    @Test
    void withoutDiagnosticsTheStateAndQueueStillSayWhy() {
        ResourceManagerClient.AppReport app = new ResourceManagerClient.AppReport("application_1_0003", "SUBMITTED",
                "UNDEFINED", "root.default", "", "", "");
        assertEquals("the YARN application application_1_0003 is SUBMITTED in queue root.default, without a container"
                + " for its ApplicationMaster", YarnApplicationWatch.waiting(app));
    }

    @Test
    void onlyApplicationsNotYetRunningWait() {
        for (String state : new String[] {"RUNNING", "FINISHED", "FAILED", "KILLED"}) {
            assertFalse(new ResourceManagerClient.AppReport("a", state, "", "q", "", "", "").waiting(), state);
        }
    }
}

package io.hearth.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationTagTest {

    @Test
    void onlyAnApplicationOnYarnGetsATagNamingItsSessionAndUniqueToItsLaunch() {
        assertTrue(ApplicationTag.forYarn(7, Map.of("spark.master", "local[*]")).isEmpty());
        assertTrue(ApplicationTag.forYarn(7, Map.of("spark.master", "spark://127.0.0.1:7077")).isEmpty());
        String tag = ApplicationTag.forYarn(7, Map.of("spark.master", "yarn")).orElseThrow().value();
        // YARN keeps tags in lower case: one with capitals would never be found again.
        assertTrue(tag.matches("hearth-session-7-[0-9a-f]{8}"), tag);
        assertNotEquals(tag, ApplicationTag.forYarn(7, Map.of("spark.master", "yarn")).orElseThrow().value());
    }

    @Test
    void theTagJoinsTheTagsTheSessionGivesItsApplication() {
        ApplicationTag tag = new ApplicationTag("hearth-session-7-0123abcd");
        assertEquals("team-a,nightly,hearth-session-7-0123abcd", tag.addTo(Map.of("spark.master", "yarn",
                "spark.yarn.tags", "team-a,nightly")).get("spark.yarn.tags"));
        assertEquals("hearth-session-7-0123abcd", tag.addTo(Map.of("spark.master", "yarn")).get("spark.yarn.tags"));
        assertEquals("hearth-session-7-0123abcd", tag.addTo(Map.of("spark.master", "yarn", "spark.yarn.tags", " "))
                .get("spark.yarn.tags"));
    }
}

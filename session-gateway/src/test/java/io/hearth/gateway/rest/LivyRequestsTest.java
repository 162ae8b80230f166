package io.hearth.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.session.Kind;
import io.hearth.gateway.session.SessionSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LivyRequestsTest {

    @Test
    void livyFieldsBecomeSparkConfAndOverrideTheClientsConf() {
        SessionSpec spec = LivyRequests.createSession("""
                {"kind": "python", "name": "etl", "driverMemory": "2g", "driverCores": 2, "executorMemory": "1g",
                 "executorCores": 1, "numExecutors": 3, "queue": "q", "jars": ["a.jar", "b.jar"],
                 "pyFiles": ["p.py"], "files": ["f.txt"], "archives": ["x.zip"],
                 "conf": {"spark.driver.memory": "8g", "spark.sql.shuffle.partitions": 4, "spark.x.flag": true},
                 "heartbeatTimeoutInSecond": 60, "ttl": "1h", "idleTimeout": "10m"}
                """);

        assertEquals(Kind.PYSPARK, spec.kind());
        Map<String, String> conf = spec.sparkConf(7);
        assertEquals("etl", conf.get("spark.app.name"));
        assertEquals("2g", conf.get("spark.driver.memory"));
        assertEquals("2", conf.get("spark.driver.cores"));
        assertEquals("1g", conf.get("spark.executor.memory"));
        assertEquals("3", conf.get("spark.executor.instances"));
        assertEquals("q", conf.get("spark.yarn.queue"));
        assertEquals("a.jar,b.jar", conf.get("spark.jars"));
        assertEquals("p.py", conf.get("spark.submit.pyFiles"));
        assertEquals("f.txt", conf.get("spark.files"));
        assertEquals("x.zip", conf.get("spark.archives"));
        assertEquals("4", conf.get("spark.sql.shuffle.partitions"));
        assertEquals("true", conf.get("spark.x.flag"));
        assertEquals(60, spec.heartbeatTimeoutInSecond());
        assertEquals("10m", spec.idleTimeout());
    }

    @Test
    void anUnknownFieldIsRefusedByNameAsLivyDoes() {
        ApiException e = assertThrows(ApiException.class,
                () -> LivyRequests.createSession("{\"kind\": \"pyspark\", \"driver_memory\": \"2g\"}"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("'driver_memory'") && e.getMessage().contains("driverMemory"), e.getMessage());
        assertThrows(ApiException.class, () -> LivyRequests.statement("{\"code\": \"1\", \"language\": \"python\"}"));
        assertThrows(ApiException.class, () -> LivyRequests.completion("{\"code\": \"1\", \"cursor\": 1, \"pos\": 1}"));
        assertEquals(1, LivyRequests.inspect("{\"code\": \"1\", \"cursor\": 1, \"detail_level\": 1}").detailLevel());
        LivyRequests.cancel("");
        LivyRequests.cancel("{}");
        assertThrows(ApiException.class, () -> LivyRequests.cancel("{\"statement\": 1}"));
        assertThrows(ApiException.class, () -> LivyRequests.cancel("[]"));
    }

    @Test
    void aCompletionCursorMayBeAStringOfDigitsAsLivysRestDocTypedItAndJacksonReadsIt() {
        assertEquals(2, LivyRequests.completion("{\"code\": \"abc\", \"cursor\": \"2\"}").cursor());
        assertEquals(2, LivyRequests.completion("{\"code\": \"abc\", \"cursor\": 2}").cursor());
        assertEquals(1, LivyRequests.inspect("{\"code\": \"abc\", \"cursor\": \"1\"}").cursor());
        for (String bad : new String[] {"\"two\"", "\"\"", "\"-1\"", "\"1.5\"", "\"99999999999\"", "\"\u0663\"", "true"}) {
            ApiException e = assertThrows(ApiException.class,
                    () -> LivyRequests.completion("{\"code\": \"abc\", \"cursor\": " + bad + "}"), bad);
            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith("'cursor' must be"), bad + ": " + e.getMessage());
        }
        ApiException beyond = assertThrows(ApiException.class,
                () -> LivyRequests.completion("{\"code\": \"abc\", \"cursor\": \"4\"}"));
        assertTrue(beyond.getMessage().contains("only 3 characters"), beyond.getMessage());
    }

    @Test
    void anEmptyBodyIsASharedSessionNamedAfterItsId() {
        SessionSpec spec = LivyRequests.createSession("");
        assertEquals(Kind.SHARED, spec.kind());
        assertNull(spec.name());
        assertEquals("hearth-session-3", spec.sparkConf(3).get("spark.app.name"));
    }

    @Test
    void whereSessionsRunIsNotTheClientsToChoose() {
        for (String key : List.of("spark.master", "spark.submit.deployMode")) {
            ApiException e = assertThrows(ApiException.class,
                    () -> LivyRequests.createSession("{\"conf\": {\"" + key + "\": \"yarn\"}}"));
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Test
    void whatTheEnginesLaunchOwnsIsRefused() {
        for (String key : List.of("spark.yarn.maxAppAttempts", "spark.yarn.submit.waitAppCompletion",
                "spark.kubernetes.submission.waitAppCompletion", "spark.hearth.session.secret")) {
            ApiException e = assertThrows(ApiException.class,
                    () -> LivyRequests.createSession("{\"conf\": {\"" + key + "\": \"x\"}}", true));
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Test
    void wrongTypesAreRefusedNamingTheField() {
        assertRefused("{\"driverCores\": \"two\"}", "driverCores");
        assertRefused("{\"driverCores\": 1.5}", "driverCores");
        assertRefused("{\"numExecutors\": 0}", "numExecutors");
        assertRefused("{\"name\": 5}", "name");
        assertRefused("{\"jars\": \"a.jar\"}", "jars");
        assertRefused("{\"conf\": {\"spark.a\": {\"nested\": 1}}}", "spark.a");
        assertRefused("{\"driverMemory\": \"lots\"}", "driverMemory");
        assertRefused("{\"kind\": \"cobol\"}", "cobol");
        assertRefused("[1, 2]", "JSON object");
        assertRefused("{\"kind\": \"pyspark\"} trailing", "malformed JSON");
        assertRefused("{kind: pyspark}", "malformed JSON");
    }

    @Test
    void proxyUserIsReadAndTheOwnerIsLeftToTheAuthenticatedCaller() {
        SessionSpec spec = LivyRequests.createSession("{\"proxyUser\": \"alice\"}");
        assertEquals("alice", spec.proxyUser());
        assertNull(spec.owner());
        assertEquals("bob", spec.withOwner("bob").owner());
        assertEquals("alice", spec.withOwner("bob").proxyUser());
        assertRefused("{\"proxyUser\": \" \"}", "proxyUser");
        assertRefused("{\"proxyUser\": 7}", "proxyUser");
    }

    @Test
    void aNumericNameIsRefusedBecauseItWouldShadowAnId() {
        assertRefused("{\"name\": \"12\"}", "name");
    }

    @Test
    void aStatementNeedsStringCodeAndAKnownKind() {
        assertEquals("1 + 1", LivyRequests.statement("{\"code\": \"1 + 1\"}").code());
        assertEquals(Kind.PYSPARK, LivyRequests.statement("{\"code\": \"1\", \"kind\": \"python\"}").kind());
        assertEquals(Kind.SQL, LivyRequests.statement("{\"code\": \"1\", \"kind\": \"sql\"}").kind());
        assertEquals(Kind.SPARK, LivyRequests.statement("{\"code\": \"1\", \"kind\": \"scala\"}").kind());
        assertEquals(Kind.SPARK, LivyRequests.statement("{\"code\": \"1\", \"kind\": \"spark\"}").kind());
        assertEquals(Kind.JAVA, LivyRequests.statement("{\"code\": \"1\", \"kind\": \"java\"}").kind());
        ApiException missing = assertThrows(ApiException.class, () -> LivyRequests.statement("{}"));
        assertTrue(missing.getMessage().contains("code"));
        ApiException number = assertThrows(ApiException.class, () -> LivyRequests.statement("{\"code\": 5}"));
        assertTrue(number.getMessage().contains("code"));
        ApiException kind = assertThrows(ApiException.class,
                () -> LivyRequests.statement("{\"code\": \"1\", \"kind\": \"cobol\"}"));
        assertTrue(kind.getMessage().contains("pyspark"), kind.getMessage());
    }

    private static void assertRefused(String body, String mentioned) {
        ApiException e = assertThrows(ApiException.class, () -> LivyRequests.createSession(body), body);
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(mentioned), "'" + e.getMessage() + "' should mention " + mentioned);
    }
}

package io.hearth.engine.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.interpreter.Documentation;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PythonIntrospectionTest {

    private static PythonSession session;

    @BeforeAll
    static void start() throws Exception {
        session = new PythonSession();
        session.run("import os\nmy_total = 41\ndef my_function(a, b=2):\n    \"\"\"Adds b to a.\"\"\"\n    return a + b");
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void namesFromTheSessionNamespaceComplete() {
        Completion c = session.runner.complete("pyspark", "x = my_", 7);
        assertTrue(c.matches().contains("my_total") && c.matches().contains("my_function"), c.toString());
        assertEquals(4, c.cursorStart());
        assertEquals(7, c.cursorEnd());
    }

    @Test
    void attributesOfSessionObjectsComplete() {
        assertTrue(session.runner.complete("pyspark", "sc.paralle", 10).matches().contains("sc.parallelize"));
        assertTrue(session.runner.complete("python", "os.pa", 5).matches().contains("os.path"));
        assertTrue(session.runner.complete(null, "spark.rea", 9).matches().contains("spark.read"));
    }

    @Test
    void builtinsAndKeywordsCompleteAndNonsenseGivesNothing() {
        assertTrue(session.runner.complete("pyspark", "pri", 3).matches().contains("print"));
        assertTrue(session.runner.complete("pyspark", "whi", 3).matches().contains("while"));
        assertEquals(0, session.runner.complete("pyspark", "no_such_thing.x", 15).matches().size());
    }

    @Test
    void completionAnswersWhileAStatementRuns() throws Exception {
        long id = session.submit("import time\ntime.sleep(3)");
        Thread.sleep(300);
        long start = System.nanoTime();
        Completion c = session.runner.complete("pyspark", "my_to", 5);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(c.matches().contains("my_total"), c.toString());
        assertTrue(millis < 1000, "completion took " + millis + " ms while a statement ran");
        session.await(id);
    }

    @Test
    void inspectionDocumentsTheNameUnderTheCursorOrTheCallBeingTyped() {
        Documentation f = session.runner.inspect("pyspark", "my_function(1)", 3, 0);
        assertTrue(f.found());
        String text = f.data().get("text/plain").getAsString();
        assertTrue(text.contains("Signature: my_function(a, b=2)") && text.contains("Adds b to a."), text);

        Documentation inCall = session.runner.inspect("pyspark", "x = my_function(", 16, 0);
        assertTrue(inCall.found() && inCall.data().get("text/plain").getAsString().contains("Adds b to a."));

        Documentation detailed = session.runner.inspect("pyspark", "my_function", 11, 1);
        assertTrue(detailed.data().get("text/plain").getAsString().contains("return a + b"));

        Documentation value = session.runner.inspect("pyspark", "my_total", 2, 0);
        assertTrue(value.data().get("text/plain").getAsString().contains("Value:     41"));

        assertTrue(session.runner.inspect("pyspark", "sc.parallelize", 5, 0).data().get("text/plain").getAsString()
                .contains("Distribute a local Python collection"));
        assertEquals(false, session.runner.inspect("pyspark", "nothing_here", 3, 0).found());
    }
}

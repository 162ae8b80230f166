package io.hearth.engine.scala;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exceptions from Scala statements show the user's frames and stop at the REPL's wrapper. */
class ReplStackTraceTest {

    @Test
    void reflectionWrappersAreRemovedToReachTheUsersException() {
        IllegalStateException user = new IllegalStateException("boom");
        assertSame(user, ReplStackTrace.userException(
                new InvocationTargetException(new ExceptionInInitializerError(user))));
    }

    @Test
    void framesStopAtTheWrapperAndTheStatementLineIsNamed() {
        RuntimeException e = new RuntimeException("bad", new IllegalArgumentException("cause"));
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("$line4.$read$$iw", "check", "<console>", 3),
            new StackTraceElement("$line5.$read$$iw", "<init>", "<console>", 2),
            new StackTraceElement("$line5.$eval$", "$print", "<synthetic>", 1),
            new StackTraceElement("ScalaRepl", "run", "ScalaRepl.java", 120),
        });
        e.getCause().setStackTrace(new StackTraceElement[] {
            new StackTraceElement("$line4.$read$$iw", "parse", "<console>", 1),
            new StackTraceElement("$line4.$read$$iw", "check", "<console>", 3),
            new StackTraceElement("$line5.$read$$iw", "<init>", "<console>", 2),
        });

        List<String> lines = ReplStackTrace.format(e, name -> name.replace("$line4.$read$$iw.", ""));

        assertEquals(List.of(
                "java.lang.RuntimeException: bad\n",
                "\tat check(<console>:3)\n",
                "\tat the statement, line 2\n",
                "\t... 2 more (the REPL and the engine)\n",
                "Caused by: java.lang.IllegalArgumentException: cause\n",
                "\tat parse(<console>:1)\n",
                "\tat check(<console>:3)\n",
                "\tat the statement, line 2\n"), lines);
    }
}

package io.hearth.engine.jshell;

import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.interpreter.Documentation;
import io.hearth.engine.interpreter.Outcome;
import io.hearth.engine.start.SessionClassLoader;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.apache.spark.sql.SparkSession;

/**
 * One JShell whose snippets run in the engine JVM with {@code spark} and {@code jsc} predefined: evaluates cells
 * snippet by snippet and says how each cell went.
 */
final class JavaShell implements AutoCloseable {

    /** Imports every cell starts with; java.util.function is left out because Spark's function package clashes. */
    private static final List<String> STARTUP = List.of(
            "import java.util.*;",
            "import java.util.stream.*;",
            "import org.apache.spark.api.java.*;",
            "import org.apache.spark.api.java.function.*;",
            "import org.apache.spark.sql.*;",
            // The anonymous class is compiled into a snippet class, so its loader is the SnippetClassLoader.
            "SparkSession spark = ((io.hearth.engine.jshell.SessionBindings) new Object() {}.getClass()"
                    + ".getClassLoader()).spark();",
            "JavaSparkContext jsc = ((io.hearth.engine.jshell.SessionBindings) new Object() {}.getClass()"
                    + ".getClassLoader()).jsc();");

    /** How long Tab waits for a running cell's compiler before offering nothing. */
    private static final long ANALYSIS_WAIT_MILLIS = 250;

    private final JShell jshell;
    // Held while a cell evaluates, and by completion and documentation: JShell analyses one thing at a time.
    private final ReentrantLock compiler = new ReentrantLock();
    private final SnippetExecutionControl control;
    private final SessionClassLoader sessionClassLoader;
    private final SnippetClassLoader loader;

    JavaShell(SparkSession spark, SessionClassLoader sessionClassLoader, ReplClassDirectory replClasses,
              Duration stopGrace, String classPath) {
        this.sessionClassLoader = sessionClassLoader;
        // Its parent is the engine's loader, never the session loader, which delegates to it.
        this.loader = new SnippetClassLoader(JavaShell.class.getClassLoader(), spark);
        SnippetLoaderDelegate delegate = new SnippetLoaderDelegate(loader, replClasses);
        this.control = new SnippetExecutionControl(delegate, loader, stopGrace);
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        this.jshell = JShell.builder()
                .executionEngine(new Provider(control), Map.of())
                // Used by remote engines only; snippets here write to System.out, which the interpreter captures.
                .in(new ByteArrayInputStream(new byte[0])).out(discard).err(discard)
                .build();
        jshell.addToClasspath(classPath);
        for (String snippet : STARTUP) {
            SnippetEvent event = jshell.eval(snippet).get(0);
            if (event.status() != Snippet.Status.VALID || event.exception() != null) {
                String problem = "Java startup snippet failed (" + event.status() + "): " + snippet + " "
                        + jshell.diagnostics(event.snippet()).map(d -> d.getMessage(null)).toList();
                jshell.close();
                throw new IllegalStateException(problem);
            }
        }
        sessionClassLoader.addInterpreterLoader(loader);
    }

    /** Runs a cell's snippets in order, stopping at the first that fails or when {@code cancelled} turns true. */
    Outcome evalCell(String cell, BooleanSupplier cancelled) {
        compiler.lock();
        try {
            return evalCellLocked(cell, cancelled);
        } finally {
            compiler.unlock();
        }
    }

    /**
     * JShell's completion for the snippet being typed at {@code cursor} (code points). JShell is not meant to analyse
     * while it evaluates, so while a Java statement runs there is nothing to offer.
     */
    Completion complete(String cell, int cursor) {
        return withCompiler(() -> {
            Typed typed = typedAt(cell, cursor);
            int[] anchor = new int[1];
            List<String> matches = jshell.sourceCodeAnalysis()
                    .completionSuggestions(typed.text(), typed.text().length(), anchor).stream()
                    .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
            int startChar = typed.offset() + anchor[0];
            return new Completion(matches, cell.codePointCount(0, startChar), cursor);
        }, Completion.none(cursor));
    }

    /**
     * Signatures and javadoc of the name under {@code cursor}, as JShell's Shift-Tab shows them. JShell documents a
     * method only with its opening parenthesis typed ({@code spark.range(}): the name is read to its end and its
     * parenthesis, and a method named without one ({@code spark.range}) is asked for again with it.
     */
    Documentation documentation(String cell, int cursor, boolean detail) {
        return withCompiler(() -> {
            Typed typed = typedAt(cell, NameUnderCursor.end(cell, cursor));
            SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
            List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(typed.text(), typed.text().length(),
                    detail);
            if (docs.isEmpty() && !typed.text().endsWith("(")) {
                String call = typed.text() + "(";
                docs = analysis.documentation(call, call.length(), detail);
            }
            if (docs.isEmpty()) {
                return Documentation.notFound();
            }
            StringBuilder text = new StringBuilder();
            for (SourceCodeAnalysis.Documentation d : docs) {
                text.append(d.signature()).append('\n');
                if (d.javadoc() != null && !d.javadoc().isBlank()) {
                    text.append(d.javadoc().strip()).append("\n\n");
                }
            }
            JsonObject data = new JsonObject();
            data.addProperty("text/plain", text.toString().strip());
            return Documentation.found(data);
        }, Documentation.notFound());
    }

    /** The text of the snippet the cursor is in, from its start up to the cursor, and where it starts in the cell. */
    private record Typed(String text, int offset) {}

    private Typed typedAt(String cell, int cursor) {
        int cursorChar = cell.offsetByCodePoints(0, Math.min(cursor, cell.codePointCount(0, cell.length())));
        String before = cell.substring(0, cursorChar);
        List<CellSnippets.CellSnippet> pieces = CellSnippets.split(before, jshell.sourceCodeAnalysis());
        int offset = pieces.isEmpty() ? 0 : pieces.get(pieces.size() - 1).offset();
        return new Typed(before.substring(offset), offset);
    }

    private <T> T withCompiler(java.util.function.Supplier<T> work, T otherwise) {
        try {
            if (!compiler.tryLock(ANALYSIS_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return otherwise;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return otherwise;
        }
        try {
            return work.get();
        } catch (RuntimeException e) {
            return otherwise;
        } finally {
            compiler.unlock();
        }
    }

    private Outcome evalCellLocked(String cell, BooleanSupplier cancelled) {
        control.beginStatement();
        List<CellSnippets.CellSnippet> snippets = CellSnippets.split(cell, jshell.sourceCodeAnalysis());
        Map<String, Integer> cellLineBySnippetId = new HashMap<>();
        Outcome last = Outcome.Result.empty();
        for (CellSnippets.CellSnippet piece : snippets) {
            if (cancelled.getAsBoolean()) {
                return cancelledOutcome();
            }
            List<SnippetEvent> events = jshell.eval(piece.source());
            SnippetEvent event = events.stream().filter(e -> e.causeSnippet() == null).findFirst().orElse(null);
            if (event == null) {
                continue;
            }
            Snippet snippet = event.snippet();
            cellLineBySnippetId.put(snippet.id(), CellSnippets.lineOf(cell, piece.offset()));
            if (event.status() == Snippet.Status.REJECTED) {
                return SnippetFailures.compilation(cell, piece.offset(), jshell.diagnostics(snippet).toList());
            }
            if (event.exception() != null) {
                return SnippetFailures.exception(event.exception(), unresolvedText(event), cellLineBySnippetId);
            }
            if (control.stoppedThisStatement()) {
                // JShell reports a stopped snippet like one that returned nothing.
                return cancelledOutcome();
            }
            last = resultOf(event);
        }
        return last;
    }

    /** Stops the snippet now running, if any; the JShell stays usable. */
    void stop() {
        jshell.stop();
    }

    @Override
    public void close() {
        sessionClassLoader.removeInterpreterLoader(loader);
        jshell.close();
        try {
            loader.close();
        } catch (java.io.IOException e) {
            // only jars added with addToClasspath are open; nothing to do about a failed close
        }
    }

    private String unresolvedText(SnippetEvent event) {
        if (event.exception() instanceof jdk.jshell.UnresolvedReferenceException u) {
            DeclarationSnippet declaration = u.getSnippet();
            return SnippetFailures.unresolved(declaration.name(), jshell.unresolvedDependencies(declaration).toList());
        }
        return null;
    }

    private static Outcome resultOf(SnippetEvent event) {
        Snippet snippet = event.snippet();
        boolean expression = snippet instanceof ExpressionSnippet
                && snippet.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND
                || snippet instanceof VarSnippet && snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
        String value = event.value();
        if (!expression || value == null || value.isEmpty()) {
            return Outcome.Result.empty();
        }
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", value);
        return new Outcome.Result(data);
    }

    private static Outcome cancelledOutcome() {
        return new Outcome.Failure("Cancelled", "the statement was cancelled", List.of());
    }

    /** Hands JShell our execution control: it is built before JShell, which lets us keep a reference to it. */
    private record Provider(ExecutionControl control) implements ExecutionControlProvider {

        @Override
        public String name() {
            return "hearth-local";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}

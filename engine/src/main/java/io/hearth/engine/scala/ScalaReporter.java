package io.hearth.engine.scala;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import scala.reflect.internal.Reporter;
import scala.reflect.internal.util.CodeAction;
import scala.reflect.internal.util.Position;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.shell.ReplReporterImpl;
import scala.util.Either;

/**
 * The compiler's reporter for one REPL: instead of printing, it keeps the current statement's compile diagnostics
 * for {@link ScalaRepl} to turn into an outcome, and passes warnings on at once.
 * Used from the runner's thread only, like the REPL itself.
 */
final class ScalaReporter extends ReplReporterImpl {

    /** One compiler message about the user's code, with where it points. */
    record Diagnostic(boolean error, String message, int line, String lineContent, String caret) {
    }

    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private Consumer<String> warnings = warning -> { };
    private String exceptionTrace;

    ScalaReporter(Settings settings) {
        // Whatever the REPL prints through its own writer (not results, not diagnostics) is not for the user.
        super(settings, new PrintWriter(new StringWriter()));
    }

    /**
     * Forgets the last statement's messages; called before each statement.
     *
     * @param warnings gets each compiler warning, formatted, as soon as it is reported (errors are kept for the end)
     */
    void clear(Consumer<String> warnings) {
        this.warnings = warnings;
        diagnostics.clear();
        exceptionTrace = null;
    }

    List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }

    /** The REPL's text for an exception its own set-up code threw, or null. */
    String exceptionTrace() {
        return exceptionTrace;
    }

    @Override
    public void doReport(Position pos, String msg, Reporter.Severity severity,
                         scala.collection.immutable.List<CodeAction> actions) {
        if (severity.id() < Reporter.WARNING$.MODULE$.id()) {
            return; // INFO: the compiler's chatter, not about the user's code
        }
        boolean error = severity.id() >= Reporter.ERROR$.MODULE$.id();
        Diagnostic diagnostic = pos != null && pos.isDefined()
                ? new Diagnostic(error, msg, pos.line(), unwrap(pos.lineContent()), pos.lineCaret())
                : new Diagnostic(error, msg, 0, "", "");
        diagnostics.add(diagnostic);
        if (!error) {
            warnings.accept(ScalaRepl.format(diagnostic));
        }
    }

    @Override
    public void printResult(Either<String, String> result) {
        // Statements are run by ScalaRepl itself; this sees only the REPL's own set-up (binding spark and sc).
        if (result.isLeft()) {
            exceptionTrace = unwrap(result.swap().toOption().get()); // unwrap, not unmangle: traces are never truncated
        }
    }
}

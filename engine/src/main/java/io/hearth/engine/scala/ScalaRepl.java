package io.hearth.engine.scala;

import com.google.gson.JsonObject;
import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.interpreter.Outcome;
import io.hearth.engine.interpreter.OutputListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.internal.Trees;
import scala.reflect.internal.util.BatchSourceFile;
import scala.reflect.internal.util.Position;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.PresentationCompilationResult;
import scala.tools.nsc.interpreter.Results;
import scala.util.Either;
import scala.util.Left;
import scala.util.Right;

/**
 * One Scala 2.13 REPL (the compiler's {@link IMain}, class-based, writing its classes where Spark's driver serves them
 * to executors) with {@code spark} and {@code sc} bound. Turns what the REPL reports into an {@link Outcome}.
 * Not thread-safe: the runner's thread uses it.
 */
final class ScalaRepl implements AutoCloseable {

    private static final Seq<Object> EMPTY_ARGS = CollectionConverters.asScala(List.<Object>of()).toList();

    private final IMain imain;
    private final ScalaReporter reporter;

    private ScalaRepl(IMain imain, ScalaReporter reporter) {
        this.imain = imain;
        this.reporter = reporter;
    }

    /**
     * Starts the compiler (seconds: it loads the whole class path) and binds the session's Spark objects.
     *
     * @param classDir  where the REPL writes its classes: Spark's
     *                  {@value SparkStarter#REPL_CLASS_DIR}
     * @param classPath the class path the user's code compiles against
     */
    static ScalaRepl start(Path classDir, String classPath, SparkSession spark) {
        Settings settings = new Settings();
        // -deprecation and -feature: a notebook has no ":replay -deprecation", so say which line and why at once.
        List<String> args = List.of("-usejavacp", "-classpath", classPath, "-Yrepl-class-based",
                "-Yrepl-outdir", classDir.toAbsolutePath().toString(), "-deprecation", "-feature");
        scala.Tuple2<Object, scala.collection.immutable.List<String>> parsed =
                settings.processArguments(CollectionConverters.asScala(args).toList(), true);
        if (!(Boolean) parsed._1()) {
            throw new IllegalStateException("the Scala compiler refused its settings " + args);
        }
        ScalaReporter reporter = new ScalaReporter(settings);
        IMain imain = new IMain(settings, reporter);
        ScalaRepl repl = new ScalaRepl(imain, reporter);
        try {
            if (!imain.initializeCompiler()) {
                throw new IllegalStateException("the Scala compiler did not start: " + repl.diagnosticsText());
            }
            // @transient: class-based REPL lines are serialized with closures that use them; these never should be.
            scala.collection.immutable.List<String> transientModifier =
                    CollectionConverters.asScala(List.of("@transient")).toList();
            repl.setUp(imain.bind("spark", SparkSession.class.getName(), spark, transientModifier), "bind spark");
            repl.setUp(imain.bind("sc", org.apache.spark.SparkContext.class.getName(), spark.sparkContext(),
                    transientModifier), "bind sc");
            // What Spark's own shell offers without asking: toDS/toDF and $"col", and the column functions.
            repl.setUp(imain.interpret("import spark.implicits._"), "import spark.implicits._");
            repl.setUp(imain.interpret("import org.apache.spark.sql.functions._"), "import functions._");
        } catch (RuntimeException | LinkageError e) {
            repl.close();
            throw e;
        }
        repl.reporter.clear(warning -> { });
        return repl;
    }

    /**
     * The REPL lines that {@code code} runs as (see {@link ScalaCell}); the code itself when it does not parse, so
     * that {@link #compile} reports why as for any statement.
     */
    List<String> lines(String code) {
        reporter.clear(warning -> { }); // compile parses each line again and reports what the parser has to say
        imain.global().currentRun().reporting().clearSuspendedMessages(); // as IMain does before it parses
        Either<Results.Result, Tuple3<scala.collection.immutable.List<Trees.Tree>, Position, BatchSourceFile>> parsed =
                imain.parse(code);
        forgetRun();
        if (parsed.isLeft()) {
            return List.of(code);
        }
        List<ScalaCell.TopLevel> statements = new ArrayList<>();
        for (Trees.Tree tree : CollectionConverters.asJava(parsed.toOption().get()._1())) {
            Position pos = tree.pos();
            if (!pos.isRange()) {
                return List.of(code); // no extent to cut at (range positions are the compiler's default)
            }
            statements.add(new ScalaCell.TopLevel(kindOf(tree), pos.start(), pos.end()));
        }
        return ScalaCell.lines(code, statements);
    }

    private static ScalaCell.Kind kindOf(Trees.Tree tree) {
        if (tree instanceof Trees.ImplDef) {
            return ScalaCell.Kind.TYPE;
        }
        if (tree instanceof Trees.DefDef || tree instanceof Trees.TypeDef) {
            return ScalaCell.Kind.MEMBER;
        }
        return ScalaCell.Kind.CODE;
    }

    /** A REPL line that compiled: {@link #run} runs it, or {@link #discard} drops it. */
    record Compiled(IMain.Request request) {
        /** The package the line's classes were written to, a directory of the REPL's class directory. */
        String linePackage() {
            return request.lineRep().packageName();
        }
    }

    /**
     * Compiles one REPL line; compiler warnings go to {@code output}'s stderr as they are reported. Compilation is
     * kept apart from {@link #run} so that a cancel, which interrupts the thread, can never hit the compiler (an
     * interrupt during its file writes would leave the REPL broken).
     *
     * @param executionCount names the statement in messages as {@code <cell N>}, as the Python interpreter does
     * @return the compiled statement, or the failure that says why it did not compile
     */
    Either<Outcome.Failure, Compiled> compile(String code, int executionCount, OutputListener output) {
        String cell = "<cell " + executionCount + ">";
        reporter.clear(warning -> output.write(OutputListener.STDERR, cell + ":" + warning));
        Either<Results.Result, IMain.Request> compiled = imain.compile(code, false);
        if (compiled.isRight()) {
            return Right.apply(new Compiled(compiled.toOption().get()));
        }
        Results.Result result = compiled.swap().toOption().get();
        // Unlike a console REPL, which waits for more lines, an incomplete statement is over: forget it as well.
        Outcome.Failure failure = result == Results.Incomplete$.MODULE$
                ? new Outcome.Failure("Incomplete", "the statement is incomplete: it ends inside an unclosed bracket, "
                        + "brace, string or expression", List.of())
                : compileError(cell);
        forgetRun();
        return Left.apply(failure);
    }

    /**
     * Runs a compiled line on this thread: the user's code, with the REPL's classes as the context class loader.
     * Printing is the caller's business. The thread's interrupt flag is cleared before the REPL's own work resumes.
     *
     * @return the REPL's echo of what the line defined and of its last expression's value (may be empty), or the
     *         failure
     */
    Either<Outcome.Failure, String> run(Compiled compiled) {
        IMain.Request request = compiled.request();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        Object echo;
        Throwable thrown = null;
        thread.setContextClassLoader(imain.classLoader());
        try {
            echo = request.lineRep().call(request.lineRep().printName(), EMPTY_ARGS);
        } catch (Throwable t) { // everything the user's code threw, ThreadDeath from a forced stop included
            echo = null;
            thrown = t;
        } finally {
            thread.setContextClassLoader(previous);
            Thread.interrupted();
        }
        try {
            if (thrown != null) {
                return Left.apply(exception(ReplStackTrace.userException(thrown)));
            }
            imain.recordRequest(request); // the line's definitions are visible to later ones from now on
            return Right.apply(echo == null ? "" : reporter.unmangleInterpreterOutput(echo.toString()));
        } finally {
            forgetRun();
        }
    }

    /** A compiled line that will not run: its definitions stay unknown to later lines, as a failed line's do. */
    void discard() {
        forgetRun();
    }

    /** Clears what the compiler keeps about the last run, as the REPL does after each statement. */
    private void forgetRun() {
        reporter.reset();
        imain.global().currentRun().reporting().clearAllConditionalWarnings();
    }

    /** A statement's result: the echoes of its lines, which the REPL ends with newlines, joined. */
    static Outcome success(String echo) {
        JsonObject data = new JsonObject();
        if (!echo.isBlank()) {
            data.addProperty("text/plain", stripTrailingNewlines(echo));
        }
        return new Outcome.Result(data);
    }

    private Outcome.Failure exception(Throwable thrown) {
        if (thrown instanceof ThreadDeath) {
            return new Outcome.Failure("Stopped", "the statement was stopped by force after it ignored an interrupt",
                    List.of());
        }
        String evalue = thrown.getMessage() == null ? "" : thrown.getMessage();
        return new Outcome.Failure(thrown.getClass().getName(), evalue,
                ReplStackTrace.format(thrown, reporter::unwrap));
    }

    private Outcome.Failure compileError(String cell) {
        List<String> traceback = new ArrayList<>();
        String first = null;
        for (ScalaReporter.Diagnostic d : reporter.diagnostics()) {
            if (d.error()) {
                traceback.add(cell + ":" + format(d));
                if (first == null) {
                    first = d.message();
                }
            }
        }
        return new Outcome.Failure("CompileError", first == null ? "the statement did not compile" : first,
                traceback);
    }

    /** {@code 3: error: not found: value x}, then the line and a caret under the spot. */
    static String format(ScalaReporter.Diagnostic d) {
        String where = d.line() > 0 ? d.line() + ": " : " ";
        String text = where + (d.error() ? "error: " : "warning: ") + d.message() + "\n";
        if (!d.lineContent().isEmpty()) {
            text += "  " + d.lineContent() + "\n  " + d.caret() + "\n";
        }
        return text;
    }

    private String diagnosticsText() {
        StringBuilder text = new StringBuilder();
        reporter.diagnostics().forEach(d -> text.append(format(d)));
        return text.toString();
    }

    private void setUp(Results.Result result, String step) {
        if (result != Results.Success$.MODULE$) {
            throw new IllegalStateException("setting up the Scala REPL failed at '" + step + "': "
                    + diagnosticsText() + (reporter.exceptionTrace() == null ? "" : reporter.exceptionTrace()));
        }
    }

    private static String stripTrailingNewlines(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }

    /**
     * The compiler's completion for the cell at {@code cursor} (code points): its presentation compiler types the cell
     * as it stands, so members of earlier statements' values complete too.
     */
    Completion complete(String code, int cursor) {
        int cursorChar = code.offsetByCodePoints(0, Math.min(cursor, code.codePointCount(0, code.length())));
        Either<Results.Result, PresentationCompilationResult> compiled = imain.presentationCompile(cursorChar, code);
        if (compiled.isLeft()) {
            return Completion.none(cursor);
        }
        PresentationCompilationResult result = compiled.toOption().get();
        try {
            Tuple2<Object, scala.collection.immutable.List<String>> candidates = result.candidates(0);
            int startChar = (Integer) candidates._1();
            List<String> matches = CollectionConverters.asJava(candidates._2()).stream().distinct().toList();
            return new Completion(matches, code.codePointCount(0, Math.min(startChar, cursorChar)), cursor);
        } finally {
            result.cleanup();
        }
    }

    /** The loader of the classes statements define (it asks the application's loader first). */
    ClassLoader classLoader() {
        return imain.classLoader();
    }

    @Override
    public void close() {
        imain.close();
    }
}

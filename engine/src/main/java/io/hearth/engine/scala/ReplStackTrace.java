package io.hearth.engine.scala;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The part of an exception's stack trace that is about the user's statement: the frames from where it was thrown up to
 * the REPL's wrapper that ran the statement, never the reflection, compiler or Hearth frames beneath, with the REPL's
 * generated names made readable. Causes follow as in Java's own format.
 */
final class ReplStackTrace {

    /** What the REPL generates for statement N: {@code $lineN.$read}, {@code $lineN.$read$$iw}, {@code $lineN.$eval} */
    private static final Pattern REPL_CLASS = Pattern.compile("^\\$line\\d+\\.\\$(read|eval)\\b.*");
    private static final int MAX_CAUSES = 8;

    private ReplStackTrace() {
    }

    /** The exception the user's code threw, without the reflection and class-initialisation wrappers around it. */
    static Throwable userException(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof InvocationTargetException || t instanceof ExceptionInInitializerError)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * @param unmangle turns the REPL's generated names into the user's ({@code $line3.$read$$iw.f} → {@code f})
     * @return the lines, each ending in a newline
     */
    static List<String> format(Throwable userException, UnaryOperator<String> unmangle) {
        List<String> lines = new ArrayList<>();
        Throwable t = userException;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            lines.add(unmangle.apply((depth == 0 ? "" : "Caused by: ") + t) + "\n");
            StackTraceElement[] frames = t.getStackTrace();
            int shown = 0;
            for (StackTraceElement frame : frames) {
                boolean replFrame = REPL_CLASS.matcher(frame.getClassName()).matches();
                if (replFrame && isWrapper(frame)) {
                    // The statement's own top-level code runs in the wrapper's constructor: show where, then stop.
                    if (frame.getMethodName().equals("<init>") && frame.getLineNumber() > 0) {
                        lines.add("\tat the statement, line " + frame.getLineNumber() + "\n");
                        shown++;
                    }
                    break;
                }
                lines.add("\tat " + unmangle.apply(frame.toString()) + "\n");
                shown++;
            }
            if (shown < frames.length) {
                lines.add("\t... " + (frames.length - shown) + " more (the REPL and the engine)\n");
            }
        }
        return lines;
    }

    private static boolean isWrapper(StackTraceElement frame) {
        String method = frame.getMethodName();
        return method.equals("<init>") || method.equals("<clinit>") || method.equals("$print");
    }
}

package io.hearth.engine.jshell;

import io.hearth.engine.interpreter.SessionStoppingCall;
import java.util.Optional;
import org.apache.xbean.asm9.tree.AbstractInsnNode;
import org.apache.xbean.asm9.tree.MethodInsnNode;

/**
 * Finds calls in a snippet that would end the session for every interpreter ({@link SessionStoppingCall}): stopping
 * the shared SparkSession or context, or exiting the engine JVM (snippets run inside it).
 */
final class SessionStopCheck {

    private final SnippetBytecode code;

    SessionStopCheck(SnippetBytecode code) {
        this.code = code;
    }

    /** What the snippet would call, e.g. {@code SparkSession.stop}, if it stops the session or the JVM. */
    Optional<String> check(String snippetClass, String methodName) {
        return code.walk(code.methodsNamed(snippetClass, methodName), SessionStopCheck::stoppingCall);
    }

    private static String stoppingCall(AbstractInsnNode insn) {
        return insn instanceof MethodInsnNode call ? SessionStoppingCall.of(call.owner, call.name).orElse(null) : null;
    }
}

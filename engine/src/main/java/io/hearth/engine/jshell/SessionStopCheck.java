package io.hearth.engine.jshell;

import java.util.Optional;
import java.util.Set;
import org.apache.xbean.asm9.tree.AbstractInsnNode;
import org.apache.xbean.asm9.tree.MethodInsnNode;

/**
 * Finds calls in a snippet that would end the session for every interpreter: stopping the shared SparkSession or
 * context, or exiting the engine JVM (snippets run inside it). pyspark statements get the same refusal
 * ({@code SharedSparkContextError}).
 */
final class SessionStopCheck {

    private static final Set<String> SPARK_OWNERS = Set.of("org/apache/spark/sql/SparkSession",
            "org/apache/spark/sql/classic/SparkSession", "org/apache/spark/SparkContext",
            "org/apache/spark/api/java/JavaSparkContext");
    private static final Set<String> JVM_EXITS = Set.of("java/lang/System.exit", "java/lang/Runtime.exit",
            "java/lang/Runtime.halt");

    private final SnippetBytecode code;

    SessionStopCheck(SnippetBytecode code) {
        this.code = code;
    }

    /** What the snippet would call, e.g. {@code SparkSession.stop}, if it stops the session or the JVM. */
    Optional<String> check(String snippetClass, String methodName) {
        return code.walk(code.methodsNamed(snippetClass, methodName), SessionStopCheck::stoppingCall);
    }

    private static String stoppingCall(AbstractInsnNode insn) {
        if (!(insn instanceof MethodInsnNode call)) {
            return null;
        }
        boolean stopsSpark = SPARK_OWNERS.contains(call.owner)
                && (call.name.equals("stop") || call.name.equals("close"));
        boolean exitsJvm = JVM_EXITS.contains(call.owner + "." + call.name);
        if (!stopsSpark && !exitsJvm) {
            return null;
        }
        return call.owner.substring(call.owner.lastIndexOf('/') + 1) + "." + call.name;
    }
}

package io.hearth.engine.jshell;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.xbean.asm9.Handle;
import org.apache.xbean.asm9.tree.AbstractInsnNode;
import org.apache.xbean.asm9.tree.FieldInsnNode;

/**
 * Finds code that Spark would run on executors and that reads or writes a top-level snippet variable: the static-capture
 * trap. JShell keeps a top-level variable ({@code int k = 3;}) in a static field of the snippet's wrapper class, set
 * when the snippet runs on the driver. An executor in another JVM loads that class afresh from the REPL class directory
 * and never runs the snippet, so there the field keeps its default: {@code rdd.map(x -> x * k)} silently yields zeros.
 *
 * <p>{@link TopLevelCapture} has already made lambdas that read such variables themselves carry their values; this check
 * refuses what is left (method references, cell methods and cell classes that read them, lambdas that write them),
 * where the user's fix is one line. The code of the snippet about to run is walked in two phases: driver code
 * (the snippet's method and the snippet methods it calls) yields what can be shipped — serializable lambdas and method
 * references (Spark's Java function interfaces are {@link Serializable}, so javac creates them with the serializable
 * flag) and new objects of serializable snippet classes; then everything those can call in snippet code is searched
 * for wrapper-class fields.
 */
final class TopLevelVariableCheck {

    /** Where a shipped function touches a top-level variable: the variable's name and what reads it. */
    record Use(String variable, String function) {
    }

    private final SnippetBytecode code;

    TopLevelVariableCheck(SnippetBytecode code) {
        this.code = code;
    }

    /** The first top-level variable that a function shipped by running this snippet method would touch, if any. */
    Optional<Use> check(String snippetClass, String methodName) {
        Set<SnippetBytecode.MethodRef> shipped = new LinkedHashSet<>();
        Map<SnippetBytecode.MethodRef, String> labels = new HashMap<>();
        code.walk(code.methodsNamed(snippetClass, methodName), insn -> {
            collectShipped(insn, shipped, labels);
            return null;
        });
        for (SnippetBytecode.MethodRef root : shipped) {
            Optional<String> variable = code.walk(Set.of(root), this::topLevelVariableAccess);
            if (variable.isPresent()) {
                return Optional.of(new Use(variable.get(), labels.get(root)));
            }
        }
        return Optional.empty();
    }

    private void collectShipped(AbstractInsnNode insn, Set<SnippetBytecode.MethodRef> shipped,
                                Map<SnippetBytecode.MethodRef, String> labels) {
        Optional<Handle> lambda = SnippetBytecode.serializableLambda(insn);
        if (lambda.isPresent() && lambda.get().getOwner().startsWith(SnippetBytecode.SNIPPET_PACKAGE)) {
            Handle impl = lambda.get();
            SnippetBytecode.MethodRef ref = new SnippetBytecode.MethodRef(impl.getOwner(), impl.getName(),
                    impl.getDesc());
            shipped.add(ref);
            labels.put(ref, impl.getName().startsWith("lambda$") ? "a lambda"
                    : "the method reference ::" + impl.getName());
            return;
        }
        code.newSerializableSnippetObject(insn).ifPresent(type -> {
            for (SnippetBytecode.MethodRef ref : code.allMethods(type)) {
                shipped.add(ref);
                labels.put(ref, "an object of class " + simpleName(type));
            }
        });
    }

    private String topLevelVariableAccess(AbstractInsnNode insn) {
        return insn instanceof FieldInsnNode field ? code.topLevelVariable(field) : null;
    }

    private static String simpleName(String internalName) {
        String name = internalName.substring(internalName.lastIndexOf('/') + 1);
        return name.substring(name.lastIndexOf('$') + 1);
    }
}

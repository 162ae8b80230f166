package io.hearth.engine.jshell;

import java.io.Serializable;
import java.lang.invoke.LambdaMetafactory;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.xbean.asm9.ClassReader;
import org.apache.xbean.asm9.Handle;
import org.apache.xbean.asm9.Opcodes;
import org.apache.xbean.asm9.tree.AbstractInsnNode;
import org.apache.xbean.asm9.tree.ClassNode;
import org.apache.xbean.asm9.tree.FieldInsnNode;
import org.apache.xbean.asm9.tree.FieldNode;
import org.apache.xbean.asm9.tree.InvokeDynamicInsnNode;
import org.apache.xbean.asm9.tree.MethodInsnNode;
import org.apache.xbean.asm9.tree.MethodNode;
import org.apache.xbean.asm9.tree.TypeInsnNode;

/**
 * The compiled code of snippets, read with Spark's shaded ASM, for the checks made before a snippet runs: parses
 * snippet classes on demand (one instance per check, so nothing is cached across statements) and walks the snippet
 * code reachable from given methods.
 */
final class SnippetBytecode {

    static final String SNIPPET_PACKAGE = "REPL/";
    private static final String LAMBDA_METAFACTORY = LambdaMetafactory.class.getName().replace('.', '/');
    private static final Pattern WRAPPER = Pattern.compile("REPL/\\$JShell\\$[^$/]+");

    /** A method by owner (internal name), name and descriptor. */
    record MethodRef(String owner, String name, String descriptor) {
    }

    private final Function<String, Optional<byte[]>> bytecode;
    private final ClassLoader loader;
    private final Map<String, Optional<ClassNode>> parsed = new HashMap<>();

    /**
     * @param bytecode the bytes of a snippet class by binary name ({@code REPL.$JShell$12}), empty for other classes
     * @param loader   the loader of the snippet classes, to ask whether one is serializable
     */
    SnippetBytecode(Function<String, Optional<byte[]>> bytecode, ClassLoader loader) {
        this.bytecode = bytecode;
        this.loader = loader;
    }

    /** The methods of a snippet class with this name: where a check of the snippet about to run starts. */
    Set<MethodRef> methodsNamed(String binaryClassName, String methodName) {
        Set<MethodRef> refs = new LinkedHashSet<>();
        classNode(binaryClassName.replace('.', '/')).ifPresent(node -> {
            for (MethodNode m : node.methods) {
                if (m.name.equals(methodName)) {
                    refs.add(new MethodRef(node.name, m.name, m.desc));
                }
            }
        });
        return refs;
    }

    /**
     * Visits every instruction of the snippet code reachable from {@code roots} (snippet methods called, lambda bodies
     * created, methods of snippet objects created); stops at the first visit that returns non-null.
     */
    <T> Optional<T> walk(Set<MethodRef> roots, Function<AbstractInsnNode, T> visit) {
        ArrayDeque<MethodRef> work = new ArrayDeque<>(roots);
        Set<MethodRef> seen = new HashSet<>(roots);
        while (!work.isEmpty()) {
            Optional<MethodNode> method = resolve(work.poll());
            if (method.isEmpty()) {
                continue;
            }
            for (AbstractInsnNode insn : method.get().instructions) {
                T found = visit.apply(insn);
                if (found != null) {
                    return Optional.of(found);
                }
                for (MethodRef callee : calledSnippetCode(insn)) {
                    if (seen.add(callee)) {
                        work.add(callee);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The name of the top-level variable this instruction reads or writes, else null. JShell's wrapper class of one
     * snippet ({@code REPL/$JShell$12}) keeps its top-level variables as its non-synthetic static fields; a compile-time
     * constant is set from the class file itself, so executors see it too, and does not count.
     */
    String topLevelVariable(FieldInsnNode field) {
        if ((field.getOpcode() != Opcodes.GETSTATIC && field.getOpcode() != Opcodes.PUTSTATIC)
                || !WRAPPER.matcher(field.owner).matches()) {
            return null;
        }
        Optional<FieldNode> declared = classNode(field.owner).flatMap(c -> c.fields.stream()
                .filter(f -> f.name.equals(field.name)).findFirst());
        if (declared.isEmpty()) {
            return null;
        }
        FieldNode f = declared.get();
        boolean synthetic = (f.access & Opcodes.ACC_SYNTHETIC) != 0;
        boolean constant = (f.access & Opcodes.ACC_FINAL) != 0 && f.value != null;
        return synthetic || constant ? null : f.name;
    }

    /** The implementation of a lambda or method reference created here that is serializable, so can be shipped. */
    static Optional<Handle> serializableLambda(AbstractInsnNode insn) {
        if (insn instanceof InvokeDynamicInsnNode indy && "altMetafactory".equals(indy.bsm.getName())
                && indy.bsmArgs.length > 3 && indy.bsmArgs[3] instanceof Integer flags
                && (flags & LambdaMetafactory.FLAG_SERIALIZABLE) != 0) {
            return lambdaImplementation(indy);
        }
        return Optional.empty();
    }

    /** The snippet class this instruction instantiates, when it is serializable (so its objects can be shipped). */
    Optional<String> newSerializableSnippetObject(AbstractInsnNode insn) {
        if (insn instanceof TypeInsnNode type && type.getOpcode() == Opcodes.NEW
                && type.desc.startsWith(SNIPPET_PACKAGE) && isSerializable(type.desc)) {
            return Optional.of(type.desc);
        }
        return Optional.empty();
    }

    /** Every method of a snippet class, inherited snippet methods included. */
    Set<MethodRef> allMethods(String internalName) {
        Set<MethodRef> refs = new LinkedHashSet<>();
        String current = internalName;
        while (current != null && current.startsWith(SNIPPET_PACKAGE)) {
            Optional<ClassNode> node = classNode(current);
            if (node.isEmpty()) {
                break;
            }
            for (MethodNode m : node.get().methods) {
                refs.add(new MethodRef(current, m.name, m.desc));
            }
            current = node.get().superName;
        }
        return refs;
    }

    Optional<ClassNode> classNode(String internalName) {
        return parsed.computeIfAbsent(internalName, name -> bytecode.apply(name.replace('/', '.')).map(bytes -> {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return node;
        }));
    }

    private Set<MethodRef> calledSnippetCode(AbstractInsnNode insn) {
        if (insn instanceof MethodInsnNode call && call.owner.startsWith(SNIPPET_PACKAGE)) {
            return Set.of(new MethodRef(call.owner, call.name, call.desc));
        }
        if (insn instanceof InvokeDynamicInsnNode indy) {
            Optional<Handle> impl = lambdaImplementation(indy);
            if (impl.isPresent() && impl.get().getOwner().startsWith(SNIPPET_PACKAGE)) {
                return Set.of(new MethodRef(impl.get().getOwner(), impl.get().getName(), impl.get().getDesc()));
            }
        }
        if (insn instanceof TypeInsnNode type && type.getOpcode() == Opcodes.NEW
                && type.desc.startsWith(SNIPPET_PACKAGE)) {
            // Whatever library code later calls on a snippet object is snippet code too.
            return allMethods(type.desc);
        }
        return Set.of();
    }

    /** The method a call lands on: declared in the owner or inherited from a snippet superclass. */
    private Optional<MethodNode> resolve(MethodRef ref) {
        String current = ref.owner();
        while (current != null && current.startsWith(SNIPPET_PACKAGE)) {
            Optional<ClassNode> node = classNode(current);
            if (node.isEmpty()) {
                return Optional.empty();
            }
            for (MethodNode m : node.get().methods) {
                if (m.name.equals(ref.name()) && m.desc.equals(ref.descriptor())) {
                    return Optional.of(m);
                }
            }
            current = node.get().superName;
        }
        return Optional.empty();
    }

    private static Optional<Handle> lambdaImplementation(InvokeDynamicInsnNode indy) {
        if (!LAMBDA_METAFACTORY.equals(indy.bsm.getOwner()) || indy.bsmArgs.length < 2
                || !(indy.bsmArgs[1] instanceof Handle impl)) {
            return Optional.empty();
        }
        return Optional.of(impl);
    }

    private boolean isSerializable(String internalName) {
        try {
            return Serializable.class.isAssignableFrom(Class.forName(internalName.replace('/', '.'), false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}

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
 * Finds code that Spark would run on executors and that reads or writes a top-level snippet variable: the static-capture
 * trap. JShell keeps a top-level variable ({@code int k = 3;}) in a static field of the snippet's wrapper class, set
 * when the snippet runs on the driver. An executor loads that class afresh from the REPL class directory and never
 * runs the snippet, so there the field keeps its default: {@code rdd.map(x -> x * k)} silently yields zeros.
 *
 * <p>We detect rather than rewrite: rewriting would mean changing how JShell wraps snippets (not open to us) or
 * patching bytecode so executors fetch driver values, both large and fragile; detection is exact for the cases that
 * matter and the fix for the user is one line. The bytecode of the statement about to run is walked in two phases:
 * driver code (the snippet's method and the snippet methods it calls) yields the functions that can be shipped —
 * serializable lambdas and method references (Spark's Java function interfaces are {@link Serializable}, so
 * javac creates them with {@code altMetafactory} and the serializable flag) and instances of serializable snippet
 * classes; then everything those functions can call inside snippet code is searched for wrapper-class fields.
 */
final class TopLevelVariableCheck {

    /** JShell's wrapper class of one snippet: {@code REPL/$JShell$12}; its non-synthetic fields are top-level vars. */
    private static final Pattern WRAPPER = Pattern.compile("REPL/\\$JShell\\$[^$/]+");
    private static final String SNIPPET_PACKAGE = "REPL/";
    private static final String LAMBDA_METAFACTORY = LambdaMetafactory.class.getName().replace('.', '/');

    /** Where a shipped function touches a top-level variable: the variable's name and what reads it. */
    record Use(String variable, String function) {
    }

    private record MethodRef(String owner, String name, String descriptor) {
    }

    private final Function<String, Optional<byte[]>> bytecode;
    private final ClassLoader loader;
    private final Map<String, Optional<ClassNode>> parsed = new HashMap<>();

    /**
     * @param bytecode the bytes of a snippet class by binary name ({@code REPL.$JShell$12}), empty for other classes
     * @param loader   the loader of the snippet classes, to ask whether one is serializable
     */
    TopLevelVariableCheck(Function<String, Optional<byte[]>> bytecode, ClassLoader loader) {
        this.bytecode = bytecode;
        this.loader = loader;
    }

    /** The first top-level variable that a function shipped by running this snippet method would touch, if any. */
    Optional<Use> check(String snippetClass, String methodName) {
        String owner = snippetClass.replace('.', '/');
        Optional<ClassNode> node = classNode(owner);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Set<MethodRef> shipped = new LinkedHashSet<>();
        Map<MethodRef, String> shippedLabels = new HashMap<>();
        walk(methodsNamed(node.get(), methodName), insn -> {
            collectShipped(insn, shipped, shippedLabels);
            return null;
        });
        for (MethodRef root : shipped) {
            Optional<String> variable = walk(Set.of(root), this::wrapperFieldAccess);
            if (variable.isPresent()) {
                return Optional.of(new Use(variable.get(), shippedLabels.get(root)));
            }
        }
        return Optional.empty();
    }

    /** Walks the code reachable from {@code roots} inside snippet classes; stops at the first non-null visit. */
    private Optional<String> walk(Set<MethodRef> roots, Function<AbstractInsnNode, String> visit) {
        ArrayDeque<MethodRef> work = new ArrayDeque<>(roots);
        Set<MethodRef> seen = new HashSet<>(roots);
        while (!work.isEmpty()) {
            MethodRef ref = work.poll();
            Optional<MethodNode> method = resolve(ref);
            if (method.isEmpty()) {
                continue;
            }
            for (AbstractInsnNode insn : method.get().instructions) {
                String found = visit.apply(insn);
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

    /** Snippet methods this instruction calls, including the body of a (non-shipped) lambda created here. */
    private Set<MethodRef> calledSnippetCode(AbstractInsnNode insn) {
        if (insn instanceof MethodInsnNode call && call.owner.startsWith(SNIPPET_PACKAGE)) {
            return Set.of(new MethodRef(call.owner, call.name, call.desc));
        }
        if (insn instanceof InvokeDynamicInsnNode indy) {
            Handle impl = lambdaImplementation(indy);
            if (impl != null && impl.getOwner().startsWith(SNIPPET_PACKAGE)) {
                return Set.of(new MethodRef(impl.getOwner(), impl.getName(), impl.getDesc()));
            }
        }
        if (insn instanceof TypeInsnNode type && type.getOpcode() == Opcodes.NEW
                && type.desc.startsWith(SNIPPET_PACKAGE)) {
            // An object of a snippet class: whatever library code calls on it runs on the driver too.
            return allMethods(type.desc);
        }
        return Set.of();
    }

    private void collectShipped(AbstractInsnNode insn, Set<MethodRef> shipped, Map<MethodRef, String> labels) {
        if (insn instanceof InvokeDynamicInsnNode indy && isSerializableLambda(indy)) {
            Handle impl = lambdaImplementation(indy);
            if (impl.getOwner().startsWith(SNIPPET_PACKAGE)) {
                MethodRef ref = new MethodRef(impl.getOwner(), impl.getName(), impl.getDesc());
                shipped.add(ref);
                labels.put(ref, impl.getName().startsWith("lambda$") ? "a lambda"
                        : "the method reference ::" + impl.getName());
            }
        } else if (insn instanceof TypeInsnNode type && type.getOpcode() == Opcodes.NEW
                && type.desc.startsWith(SNIPPET_PACKAGE) && isSerializable(type.desc)) {
            for (MethodRef ref : allMethods(type.desc)) {
                shipped.add(ref);
                labels.put(ref, "an object of class " + simpleName(type.desc));
            }
        }
    }

    private String wrapperFieldAccess(AbstractInsnNode insn) {
        if (!(insn instanceof FieldInsnNode field)
                || (field.getOpcode() != Opcodes.GETSTATIC && field.getOpcode() != Opcodes.PUTSTATIC)
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
        // A compile-time constant is set from the class file itself, so executors see it too.
        boolean constant = (f.access & Opcodes.ACC_FINAL) != 0 && f.value != null;
        return synthetic || constant ? null : f.name;
    }

    private static boolean isSerializableLambda(InvokeDynamicInsnNode indy) {
        return LAMBDA_METAFACTORY.equals(indy.bsm.getOwner()) && "altMetafactory".equals(indy.bsm.getName())
                && indy.bsmArgs.length > 3 && indy.bsmArgs[3] instanceof Integer flags
                && (flags & LambdaMetafactory.FLAG_SERIALIZABLE) != 0;
    }

    private static Handle lambdaImplementation(InvokeDynamicInsnNode indy) {
        if (!LAMBDA_METAFACTORY.equals(indy.bsm.getOwner()) || indy.bsmArgs.length < 2
                || !(indy.bsmArgs[1] instanceof Handle impl)) {
            return null;
        }
        return impl;
    }

    private boolean isSerializable(String internalName) {
        try {
            return Serializable.class.isAssignableFrom(Class.forName(internalName.replace('/', '.'), false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private Set<MethodRef> methodsNamed(ClassNode node, String name) {
        Set<MethodRef> refs = new LinkedHashSet<>();
        for (MethodNode m : node.methods) {
            if (m.name.equals(name)) {
                refs.add(new MethodRef(node.name, m.name, m.desc));
            }
        }
        return refs;
    }

    private Set<MethodRef> allMethods(String internalName) {
        Set<MethodRef> refs = new LinkedHashSet<>();
        String current = internalName;
        // Inherited snippet methods run too: walk up while the superclass is itself a snippet class.
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

    private Optional<ClassNode> classNode(String internalName) {
        return parsed.computeIfAbsent(internalName, name -> bytecode.apply(name.replace('/', '.')).map(bytes -> {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return node;
        }));
    }

    private static String simpleName(String internalName) {
        String name = internalName.substring(internalName.lastIndexOf('/') + 1);
        return name.substring(name.lastIndexOf('$') + 1);
    }
}

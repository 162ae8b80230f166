package io.hearth.engine.jshell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.xbean.asm9.ClassReader;
import org.apache.xbean.asm9.ClassWriter;
import org.apache.xbean.asm9.Handle;
import org.apache.xbean.asm9.Opcodes;
import org.apache.xbean.asm9.Type;
import org.apache.xbean.asm9.tree.AbstractInsnNode;
import org.apache.xbean.asm9.tree.ClassNode;
import org.apache.xbean.asm9.tree.FieldInsnNode;
import org.apache.xbean.asm9.tree.FrameNode;
import org.apache.xbean.asm9.tree.IincInsnNode;
import org.apache.xbean.asm9.tree.InsnList;
import org.apache.xbean.asm9.tree.InsnNode;
import org.apache.xbean.asm9.tree.InvokeDynamicInsnNode;
import org.apache.xbean.asm9.tree.LocalVariableNode;
import org.apache.xbean.asm9.tree.MethodInsnNode;
import org.apache.xbean.asm9.tree.MethodNode;
import org.apache.xbean.asm9.tree.VarInsnNode;

/**
 * Makes a serializable lambda of a snippet capture the top-level variables it reads, by value, when it is created, as
 * Scala's class-based REPL does for its closures. JShell keeps a top-level variable ({@code int k = 3;}) in a static
 * field of the snippet's wrapper class; an executor in another JVM loads that class afresh and never runs the snippet,
 * so a lambda reading the field there sees 0, null or false. Rewritten, the lambda's body reads an extra parameter
 * instead, the code creating the lambda passes the field's value as a captured argument, and the value travels with
 * the serialized lambda. The class's {@code $deserializeLambda$}, which javac writes for the original signatures, is
 * replaced by a call to {@link SnippetLambdas#deserialize}, which rebuilds any lambda of the class from its serialized
 * form.
 *
 * <p>Only a lambda whose body is a static method of the same class, reads the variables directly and writes none is
 * rewritten; anything else that ships a top-level variable (a method reference, a cell method called from the lambda,
 * an object of a cell class) is still refused by {@link TopLevelVariableCheck}.
 */
final class TopLevelCapture {

    private static final String DESERIALIZE = "$deserializeLambda$";
    private static final String DESERIALIZE_DESC = "(Ljava/lang/invoke/SerializedLambda;)Ljava/lang/Object;";

    /** A top-level variable: the static field that holds it. */
    private record Variable(String owner, String name, String desc) {
        Type type() {
            return Type.getType(desc);
        }
    }

    /** Where a lambda is created: the method and its {@code invokedynamic}. */
    private record Site(MethodNode method, InvokeDynamicInsnNode indy) {}

    private final Function<String, Optional<byte[]>> snippetClasses;

    /** @param snippetClasses the bytes of the snippet classes already loaded, by binary name */
    TopLevelCapture(Function<String, Optional<byte[]>> snippetClasses) {
        this.snippetClasses = snippetClasses;
    }

    /** The class rewritten, or the same bytes when none of its lambdas reads a top-level variable. */
    byte[] rewrite(String binaryName, byte[] bytes) {
        if (!binaryName.startsWith("REPL.")) {
            return bytes;
        }
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.EXPAND_FRAMES);
        String self = node.name;
        SnippetBytecode code = new SnippetBytecode(name -> name.equals(binaryName) ? Optional.of(bytes)
                : snippetClasses.apply(name), getClass().getClassLoader());
        boolean changed = false;
        // A lambda created inside another lambda's body adds reads to that body: go on until nothing changes.
        for (boolean again = true; again; ) {
            again = false;
            for (MethodNode impl : node.methods) {
                List<Site> sites = sitesCreating(node, impl);
                if (sites.isEmpty() || (impl.access & Opcodes.ACC_STATIC) == 0
                        || impl.visibleParameterAnnotations != null || impl.invisibleParameterAnnotations != null) {
                    continue;
                }
                Optional<List<Variable>> read = variablesRead(impl, code);
                if (read.isPresent() && !read.get().isEmpty()) {
                    capture(self, impl, sites, read.get());
                    again = true;
                    changed = true;
                }
            }
        }
        if (!changed) {
            return bytes;
        }
        replaceDeserializer(node);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        node.accept(writer);
        return writer.toByteArray();
    }

    /** The serializable-lambda creations in this class whose body is {@code impl}, outside the deserializer. */
    private static List<Site> sitesCreating(ClassNode node, MethodNode impl) {
        List<Site> sites = new ArrayList<>();
        for (MethodNode m : node.methods) {
            if (m.name.equals(DESERIALIZE)) {
                continue;
            }
            for (AbstractInsnNode insn : m.instructions) {
                Optional<Handle> lambda = SnippetBytecode.serializableLambda(insn);
                if (lambda.isPresent() && lambda.get().getOwner().equals(node.name)
                        && lambda.get().getName().equals(impl.name) && lambda.get().getDesc().equals(impl.desc)
                        && lambda.get().getTag() == Opcodes.H_INVOKESTATIC) {
                    sites.add(new Site(m, (InvokeDynamicInsnNode) insn));
                }
            }
        }
        return sites;
    }

    /** The top-level variables the method reads, in order of first read; empty when it writes one (not rewritten). */
    private static Optional<List<Variable>> variablesRead(MethodNode m, SnippetBytecode code) {
        Map<String, Variable> read = new LinkedHashMap<>();
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof FieldInsnNode f && code.topLevelVariable(f) != null) {
                if (f.getOpcode() == Opcodes.PUTSTATIC) {
                    return Optional.empty();
                }
                read.putIfAbsent(f.owner + "." + f.name, new Variable(f.owner, f.name, f.desc));
            }
        }
        return Optional.of(List.copyOf(read.values()));
    }

    /**
     * The body gets one parameter per variable, after the lambda's own captured arguments (the metafactory wants the
     * captured ones first, then the interface method's); each creation site pushes the variables' values.
     */
    private static void capture(String self, MethodNode impl, List<Site> sites, List<Variable> vars) {
        Type[] params = Type.getArgumentTypes(impl.desc);
        int captured = Type.getArgumentTypes(sites.get(0).indy().desc).length;
        int firstSlot = 0;
        for (int i = 0; i < captured; i++) {
            firstSlot += params[i].getSize();
        }
        Map<String, Integer> slotOf = new LinkedHashMap<>();
        int shift = 0;
        List<Type> newParams = new ArrayList<>(List.of(params).subList(0, captured));
        List<Object> frameTypes = new ArrayList<>();
        for (Variable v : vars) {
            slotOf.put(v.owner() + "." + v.name(), firstSlot + shift);
            shift += v.type().getSize();
            newParams.add(v.type());
            frameTypes.add(frameType(v.type()));
        }
        newParams.addAll(List.of(params).subList(captured, params.length));

        for (AbstractInsnNode insn : impl.instructions.toArray()) {
            if (insn instanceof VarInsnNode v && v.var >= firstSlot) {
                v.var += shift;
            } else if (insn instanceof IincInsnNode inc && inc.var >= firstSlot) {
                inc.var += shift;
            } else if (insn instanceof FieldInsnNode f && f.getOpcode() == Opcodes.GETSTATIC
                    && slotOf.containsKey(f.owner + "." + f.name)) {
                impl.instructions.set(f, new VarInsnNode(Type.getType(f.desc).getOpcode(Opcodes.ILOAD),
                        slotOf.get(f.owner + "." + f.name)));
            } else if (insn instanceof FrameNode frame && frame.local != null) {
                List<Object> locals = new ArrayList<>(frame.local);
                while (locals.size() < captured) {
                    locals.add(Opcodes.TOP);
                }
                locals.addAll(captured, frameTypes);
                frame.local = locals;
            }
        }
        if (impl.localVariables != null) {
            for (LocalVariableNode local : impl.localVariables) {
                if (local.index >= firstSlot) {
                    local.index += shift;
                }
            }
        }
        String oldDesc = impl.desc;
        impl.desc = Type.getMethodDescriptor(Type.getReturnType(oldDesc), newParams.toArray(Type[]::new));
        impl.parameters = null;
        impl.maxLocals += shift;

        for (Site site : sites) {
            InsnList push = new InsnList();
            List<Type> factoryParams = new ArrayList<>(List.of(Type.getArgumentTypes(site.indy().desc)));
            for (Variable v : vars) {
                push.add(new FieldInsnNode(Opcodes.GETSTATIC, v.owner(), v.name(), v.desc()));
                factoryParams.add(v.type());
            }
            site.indy().desc = Type.getMethodDescriptor(Type.getReturnType(site.indy().desc),
                    factoryParams.toArray(Type[]::new));
            site.indy().bsmArgs[1] = new Handle(Opcodes.H_INVOKESTATIC, self, impl.name, impl.desc, false);
            site.method().instructions.insertBefore(site.indy(), push);
        }
    }

    private static Object frameType(Type t) {
        return switch (t.getSort()) {
            case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> Opcodes.INTEGER;
            case Type.LONG -> Opcodes.LONG;
            case Type.FLOAT -> Opcodes.FLOAT;
            case Type.DOUBLE -> Opcodes.DOUBLE;
            default -> t.getInternalName();
        };
    }

    /** {@code return SnippetLambdas.deserialize(MethodHandles.lookup(), serializedLambda);} */
    private static void replaceDeserializer(ClassNode node) {
        for (MethodNode m : node.methods) {
            if (m.name.equals(DESERIALIZE) && m.desc.equals(DESERIALIZE_DESC)) {
                InsnList body = new InsnList();
                body.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                        "()Ljava/lang/invoke/MethodHandles$Lookup;", false));
                body.add(new VarInsnNode(Opcodes.ALOAD, 0));
                body.add(new MethodInsnNode(Opcodes.INVOKESTATIC, Type.getInternalName(SnippetLambdas.class),
                        "deserialize", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/invoke/SerializedLambda;)"
                                + "Ljava/lang/Object;", false));
                body.add(new InsnNode(Opcodes.ARETURN));
                m.instructions = body;
                m.tryCatchBlocks = new ArrayList<>();
                m.localVariables = null;
                m.maxStack = 2;
                m.maxLocals = 1;
            }
        }
    }
}

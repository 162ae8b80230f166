package io.hearth.engine.scala;

import io.hearth.engine.interpreter.SessionStoppingCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.xbean.asm9.ClassReader;
import org.apache.xbean.asm9.ClassVisitor;
import org.apache.xbean.asm9.MethodVisitor;
import org.apache.xbean.asm9.Opcodes;

/**
 * Finds, in the classes a compiled REPL line wrote, a call that would end the session for every interpreter
 * ({@link SessionStoppingCall}: {@code spark.stop()}, {@code sc.stop()}, {@code sys.exit()}), so that the line is
 * refused before it runs. Every method of the line counts, called or not: a definition that stops the session would
 * stop it when a later line calls it. Calls made by reflection are not seen; the runner notices their effect.
 */
final class ReplLineStopCheck {

    private final Path classDir;

    /** @param classDir where the REPL writes its classes, one package directory per line */
    ReplLineStopCheck(Path classDir) {
        this.classDir = classDir;
    }

    /** What the line's code would call, e.g. {@code SparkSession.stop}, if it stops the session or the JVM. */
    Optional<String> check(String linePackage) {
        Path dir = classDir.resolve(linePackage);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                Optional<String> found = stoppingCall(file);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the compiled classes of " + linePackage, e);
        }
    }

    private static Optional<String> stoppingCall(Path classFile) throws IOException {
        String[] found = new String[1];
        try (InputStream in = Files.newInputStream(classFile)) {
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String method, String desc,
                                                    boolean isInterface) {
                            if (found[0] == null) {
                                found[0] = SessionStoppingCall.of(owner, method).orElse(null);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
        return Optional.ofNullable(found[0]);
    }
}

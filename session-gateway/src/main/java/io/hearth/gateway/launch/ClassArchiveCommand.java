package io.hearth.gateway.launch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.launcher.JavaModuleOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hearth-gateway class-archive ENGINE_JAR}: makes the engine's class-data-sharing archive beside the jar, with a
 * training run of the engine (a local SparkSession and a first job) on the JVM and options local engines get. Run once
 * per build or install ({@code bin/hearth} does); engines started afterwards map the archived classes.
 */
@Command(name = "class-archive", mixinStandardHelpOptions = true,
        description = {"Makes " + EngineClassArchive.FILE_NAME + " beside the engine jar: the classes an engine's start"
                + " loads, which local engines then map instead of loading from the jars (a faster cold start).",
                "Takes 10-30 s. A stale archive (older than the jar) is ignored by the gateway; make a new one after"
                        + " each build."})
public final class ClassArchiveCommand implements Callable<Integer> {

    /** The engine's training entry point (the gateway never links the engine's classes: a name only). */
    static final String TRAINING_CLASS = "io.hearth.engine.start.ClassArchiveTraining";

    @Parameters(index = "0", paramLabel = "ENGINE_JAR", description = "The engine jar (hearth-engine.jar).")
    private Path engineJar;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(engineJar)) {
            err.println("class-archive: no engine jar at " + engineJar);
            return 2;
        }
        Path archive = EngineClassArchive.pathFor(engineJar);
        Path partial = archive.resolveSibling(EngineClassArchive.FILE_NAME + ".partial");
        List<String> command = new ArrayList<>();
        command.add(LocalProcessLauncher.currentJava().toString());
        command.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
        command.add("-XX:ArchiveClassesAtExit=" + partial);
        // The class path exactly as local engines get it: the JVM checks it on use.
        command.add("-cp");
        command.add(EngineClassArchive.canonicalJar(engineJar).toString());
        command.add(TRAINING_CLASS);
        Process training = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int code = training.waitFor();
        if (code != 0 || !Files.isRegularFile(partial)) {
            Files.deleteIfExists(partial);
            err.println("class-archive: the training run failed (exit code " + code + "); rerun it as "
                    + String.join(" ", command) + " to see why");
            return 1;
        }
        try {
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            err.println("class-archive: cannot write " + archive + ": " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().println("class archive " + archive + " (" + Files.size(archive) / (1 << 20)
                + " MiB)");
        return 0;
    }
}

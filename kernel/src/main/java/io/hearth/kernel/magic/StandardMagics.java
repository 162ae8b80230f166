package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.CellExecutor;
import io.hearth.kernel.CellSink;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The kernel's magics, and the dispatcher that runs them in front of the gateway. */
public final class StandardMagics {

    private StandardMagics() {
    }

    /** Every magic, in the order {@code %%help} lists them. */
    public static Magics all() {
        return new Magics(List.of(
                new ConfigureMagic(),
                new InfoMagic(),
                new SqlMagic(),
                new LanguageMagic("pyspark", Languages.PYSPARK, "PySpark (Python)"),
                new LanguageMagic("scala", Languages.SCALA, "Scala"),
                new LanguageMagic("java", Languages.JAVA, "Java"),
                new LogsMagic(),
                new DeleteMagic(),
                new CleanupMagic(),
                new AttachMagic(),
                new KeepMagic(),
                new MatplotMagic(),
                new LsmagicMagic(),
                new HelpMagic()));
    }

    /** The languages a session runs, each through the runner {@code runnerFor} makes for its statement kind. */
    public static Languages languages(Function<String, CellExecutor> runnerFor) {
        return new Languages(Map.of(
                Languages.PYSPARK, runnerFor.apply(Languages.PYSPARK),
                Languages.SCALA, runnerFor.apply(Languages.SCALA),
                Languages.SQL, runnerFor.apply(Languages.SQL),
                Languages.JAVA, runnerFor.apply(Languages.JAVA)));
    }
}

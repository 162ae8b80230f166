package io.hearth.kernel.magic;

import io.hearth.kernel.cell.CellExecutor;
import io.hearth.kernel.livy.StatementKind;
import java.util.EnumMap;
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
                new LanguageMagic("pyspark", StatementKind.PYSPARK, "PySpark (Python)"),
                new LanguageMagic("scala", StatementKind.SPARK, "Scala"),
                new LanguageMagic("java", StatementKind.JAVA, "Java"),
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
    public static Languages languages(Function<StatementKind, CellExecutor> runnerFor) {
        Map<StatementKind, CellExecutor> runners = new EnumMap<>(StatementKind.class);
        for (StatementKind kind : StatementKind.values()) {
            runners.put(kind, runnerFor.apply(kind));
        }
        return new Languages(runners);
    }
}

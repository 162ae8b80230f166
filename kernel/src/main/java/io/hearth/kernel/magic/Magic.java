package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.livy.StatementKind;
import java.util.Optional;

/** One magic: its name, how it is written, and what it does. */
public interface Magic {

    /** The name, without percent signs ({@code sql}). */
    String name();

    /** How to write it, e.g. {@code %%sql [-o NAME] [-n MAXROWS] [-q]}. */
    String usage();

    /** One sentence saying what it does. */
    String summary();

    /** True for magics that work on the cell below their line ({@code %%sql}); they must be written with {@code %%}. */
    boolean takesBody();

    /** The language of the body, when it is code run in the session ({@code %%sql}, {@code %%scala}); else empty. */
    default Optional<StatementKind> bodyKind() {
        return Optional.empty();
    }

    /**
     * Runs the magic.
     *
     * @return the MIME bundle to show as the cell's result, empty for none
     * @throws MagicSyntaxException when its arguments are wrong (the dispatcher adds the usage)
     * @throws CellFailure          when it fails for another reason the notebook shows
     */
    JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException, CellFailure;
}

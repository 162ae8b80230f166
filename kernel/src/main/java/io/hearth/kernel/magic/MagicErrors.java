package io.hearth.kernel.magic;

import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.ErrorContent;
import io.hearth.kernel.cell.KernelErrors;
import io.hearth.kernel.gateway.GatewayException;

/** The errors magics show in a cell: what is wrong, and how to write it right. */
public final class MagicErrors {

    private MagicErrors() {
    }

    /** A magic the registry does not know. */
    public static CellFailure unknown(MagicCall call, Magics magics) {
        return new CellFailure(ErrorContent.ofKernel("UsageError", "unknown magic " + call.written(),
                "Valid magics: " + magics.written(),
                "%%help shows what each one does."));
    }

    /** A cell whose magic is malformed (before the magic is known). */
    public static CellFailure syntax(MagicSyntaxException e, Magics magics) {
        return new CellFailure(ErrorContent.ofKernel("UsageError", e.getMessage(),
                "Valid magics: " + magics.written(),
                "%%help shows what each one does."));
    }

    /** A known magic used wrongly: the problem and its usage. */
    public static CellFailure usage(Magic magic, String problem) {
        return new CellFailure(ErrorContent.ofKernel("UsageError", magic.usage().split(" ", 2)[0] + ": " + problem,
                "Usage: " + magic.usage(),
                magic.summary()));
    }

    /** A magic that failed for a reason that is not its syntax. */
    public static CellFailure failure(String message, String... explanation) {
        return new CellFailure(ErrorContent.ofKernel("MagicError", message, explanation));
    }

    /** A gateway call of a magic that failed. */
    public static CellFailure gateway(GatewayException e) {
        return KernelErrors.gateway(e);
    }
}

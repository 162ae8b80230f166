package io.hearth.kernel.cell;

/** A cell that ended in an error: carries what the notebook shows. */
public final class CellFailure extends Exception {

    private final transient ErrorContent content;

    /** A failure shown in the notebook as {@code content}. */
    public CellFailure(ErrorContent content) {
        // No stack trace: this is control flow towards a Jupyter error message, never a kernel bug.
        super(content.ename() + ": " + content.evalue(), null, false, false);
        this.content = content;
    }

    /** What the notebook shows. */
    public ErrorContent content() {
        return content;
    }
}

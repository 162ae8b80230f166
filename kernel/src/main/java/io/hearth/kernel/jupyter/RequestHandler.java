package io.hearth.kernel.jupyter;

/** Answers one kind of request; the channel loop has already published {@code busy} and publishes {@code idle} after. */
@FunctionalInterface
public interface RequestHandler {

    /** Handles the request of {@code exchange}: replies on its channel and publishes its outputs. */
    void handle(Exchange exchange);
}

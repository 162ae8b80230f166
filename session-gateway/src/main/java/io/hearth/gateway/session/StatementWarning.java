package io.hearth.gateway.session;

/**
 * Something about the cluster that held a statement up, as its engine reported it while it ran: its tasks waited for
 * executors ({@code waiting-for-executors}) or an executor was lost ({@code executor-lost}). Also the data of a
 * {@code warning} event.
 *
 * @param at epoch millis when the gateway received it
 */
public record StatementWarning(String reason, String message, long at) implements StatementEvent.Data {}

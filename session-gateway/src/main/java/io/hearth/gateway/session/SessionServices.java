package io.hearth.gateway.session;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What every session of a gateway shares: where it saves itself, where its finished statements are read from, what it
 * counts, its clock, and how its engine is stopped.
 *
 * @param clock     epoch milliseconds, for session and statement times the engine did not report
 * @param stopper   runs the blocking part of stopping an engine, off the caller's thread
 * @param stopGrace how long an engine told to shut down gets before it is terminated
 * @param limits    how much a session may have waiting or running
 */
record SessionServices(StateStore store, StatementArchive archive, SessionMetrics metrics, LongSupplier clock,
                       Executor stopper, Duration stopGrace, StatementLimits limits) {}

package io.hearth.gateway.yarn;

import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.SessionState;
import io.hearth.gateway.session.Sessions;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the YARN applications of the sessions on YARN through the ResourceManager: a starting session's application
 * is found by its tag as soon as YARN has it, and while YARN gives it no resources the session knows why (a start that
 * times out says so); a live session whose application ended (killed from outside, failed) becomes dead with YARN's
 * reason; the session shows the application's tracking URL (the Spark UI through the ResourceManager's proxy) and its
 * ApplicationMaster's log; an application still running or waiting after its session ended is killed, as Livy does,
 * and so is one still waiting for resources after its session was deleted or the gateway stopped (no engine of
 * it runs to end it).
 */
public final class YarnApplicationWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(YarnApplicationWatch.class);
    /** "[Thu Dec 03 04:45:46 +0000 2026] " */
    private static final Pattern DIAGNOSTICS_DATE = Pattern.compile("^\\[[^\\]]*\\]\\s*");

    private final Sessions sessions;
    private final ResourceManagerClient rm;
    private final ScheduledExecutorService timer;
    /** The sessions on YARN of the last pass; only the timer's thread uses it. */
    private Set<Session> followed = Set.of();

    public YarnApplicationWatch(Sessions sessions, ResourceManagerClient rm, Duration interval) {
        this.sessions = sessions;
        this.rm = rm;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "yarn-application-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::checkAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkAll() {
        List<Session> onYarn = sessions.list().stream().filter(YarnApplicationWatch::onYarn).toList();
        for (Session session : onYarn) {
            try {
                check(session, report(session));
            } catch (IOException e) {
                LOG.debug("Session {}: no report of its application from the ResourceManager: {}", session.id(),
                        e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Session {}: could not follow its application", session.id(), e);
            }
        }
        Set<Session> now = Set.copyOf(onYarn);
        killWaiting(followed.stream().filter(s -> !now.contains(s)).toList());
        followed = now;
    }

    /** A session whose application the ResourceManager can be asked about: by its id, else by its tag. */
    private static boolean onYarn(Session session) {
        String appId = session.info().appId();
        return appId != null && appId.startsWith("application_") || session.applicationTag().isPresent();
    }

    private Optional<ResourceManagerClient.AppReport> report(Session session) throws IOException, InterruptedException {
        String appId = session.info().appId();
        if (appId != null && appId.startsWith("application_")) {
            return rm.report(appId);
        }
        Optional<String> tag = session.applicationTag();
        return tag.isPresent() ? rm.findByTag(tag.get()) : Optional.empty();
    }

    private void check(Session session, Optional<ResourceManagerClient.AppReport> found)
            throws IOException, InterruptedException {
        if (found.isEmpty()) {
            return;
        }
        ResourceManagerClient.AppReport app = found.get();
        if (session.state() == SessionState.STARTING) {
            session.applicationStarting(app.id(), app.waiting() ? waiting(app) : null);
        }
        if (app.ended()) {
            if (session.isLive()) {
                session.applicationEnded("the YARN application " + app.id() + " ended " + app.state()
                        + (app.finalStatus().isEmpty() ? "" : " (" + app.finalStatus() + ")")
                        + (app.diagnostics().isBlank() ? "" : ": " + app.diagnostics().strip()));
            }
        } else if (session.isLive()) {
            if (session.state() != SessionState.STARTING) {
                session.applicationLinks(emptyToNull(app.trackingUrl()), emptyToNull(app.amContainerLogs()));
            }
        } else if (session.isOver()) {
            LOG.info("Session {} is over but its YARN application {} is {}: killing it", session.id(), app.id(),
                    app.state());
            session.log().append("[hearth] killing the YARN application " + app.id() + ", still " + app.state()
                    + " after its session ended");
            rm.kill(app.id());
        }
    }

    /**
     * Kills the applications of {@code gone} (sessions deleted, or stopped with the gateway) that still wait for
     * resources: no engine of theirs runs that could end them. One that runs is left to its engine's own stop.
     */
    public void killWaiting(Collection<Session> gone) {
        for (Session session : gone) {
            try {
                Optional<ResourceManagerClient.AppReport> app = report(session);
                if (app.isPresent() && app.get().waiting()) {
                    LOG.info("Session {} is gone but its YARN application {} is {}: killing it", session.id(),
                            app.get().id(), app.get().state());
                    rm.kill(app.get().id());
                }
            } catch (IOException e) {
                LOG.warn("Session {}: could not end its YARN application: {}", session.id(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Why YARN does not run the application yet, in its words: its state, its queue and its diagnostics. The date the
     * CapacityScheduler puts before each update of them is left out: the text then changes only when the reason does.
     */
    static String waiting(ResourceManagerClient.AppReport app) {
        String diagnostics = DIAGNOSTICS_DATE.matcher(app.diagnostics().strip()).replaceFirst("");
        return "the YARN application " + app.id() + " is " + app.state() + " in queue " + app.queue()
                + ", without a container for its ApplicationMaster"
                + (diagnostics.isEmpty() ? "" : "; the ResourceManager says: " + diagnostics);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Stops following; {@link #killWaiting} still works. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}

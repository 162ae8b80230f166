package io.hearth.gateway.yarn;

import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.SessionState;
import io.hearth.gateway.session.Sessions;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the YARN applications of the sessions on YARN through the ResourceManager: a starting session's application
 * is found by its tag as soon as YARN has it, and while YARN gives it no resources the session knows why (a start that
 * times out says so); a live session whose application ended (killed from outside, failed) becomes dead with YARN's
 * reason; the session shows the application's tracking URL (the Spark UI through the ResourceManager's proxy) and its
 * ApplicationMaster's log; an application still running or waiting after its session ended is killed, as Livy does.
 */
public final class YarnApplicationWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(YarnApplicationWatch.class);

    private final Sessions sessions;
    private final ResourceManagerClient rm;
    private final ScheduledExecutorService timer;

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
        for (Session session : sessions.list()) {
            Session.Info info = session.info();
            Optional<String> tag = session.applicationTag();
            if (tag.isEmpty() && (info.appId() == null || !info.appId().startsWith("application_"))) {
                continue;
            }
            try {
                check(session, tag.isPresent() ? rm.findByTag(tag.get()) : rm.report(info.appId()));
            } catch (IOException e) {
                LOG.debug("Session {}: no report of {} from the ResourceManager: {}", info.id(),
                        tag.orElse(info.appId()), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Session {}: could not follow {}", info.id(), info.appId(), e);
            }
        }
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
            LOG.info("Session {} is over but its YARN application {} is {}: killing it", session.info().id(),
                    app.id(), app.state());
            session.log().append("[hearth] killing the YARN application " + app.id() + ", still " + app.state()
                    + " after its session ended");
            rm.kill(app.id());
        }
    }

    /** Why YARN does not run the application yet, in its words: its state, its queue and its diagnostics. */
    static String waiting(ResourceManagerClient.AppReport app) {
        return "the YARN application " + app.id() + " is " + app.state() + " in queue " + app.queue()
                + ", without a container for its ApplicationMaster"
                + (app.diagnostics().isBlank() ? "" : "; the ResourceManager says: " + app.diagnostics().strip());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

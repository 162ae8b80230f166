package io.hearth.kernel.display;

import com.google.gson.JsonObject;
import io.hearth.kernel.livy.RemoteSession;
import java.util.Locale;

/**
 * The small table a cell shows when its session has started: session id, Spark application id, links, and whether
 * its engine was warm (from the gateway's pool) or started cold, with the start time, when the gateway says.
 */
public final class SessionCard {

    private SessionCard() {
    }

    /** The MIME bundle (HTML and text) describing {@code session} of the gateway at {@code gatewayUrl}. */
    public static JsonObject of(RemoteSession session, String gatewayUrl) {
        String appId = session.appId() == null ? "-" : session.appId();
        String ui = session.sparkUiUrl();
        // The gateway serves every session's driver log itself; Livy's driverLogUrl (YARN) wins when it has one.
        String log = session.driverLogUrl() != null ? session.driverLogUrl()
                : gatewayUrl + "/sessions/" + session.id() + "/log";
        String start = start(session.start());
        String html = "<table class=\"hearth-session\"><tr><th>Session</th>"
                + (start == null ? "" : "<th>Start</th>") + "<th>Spark application</th>"
                + "<th>Spark UI</th><th>Driver log</th></tr><tr><td>" + session.id() + "</td>"
                + (start == null ? "" : "<td>" + Html.escape(start) + "</td>") + "<td>" + Html.escape(appId)
                + "</td><td>" + link(ui) + "</td><td>" + link(log) + "</td></tr></table>";
        String text = "Spark session " + session.id() + " started" + (start == null ? "" : " (" + start + ")")
                + ": application " + appId + (ui == null ? "" : ", Spark UI " + ui) + ", driver log " + log;
        JsonObject bundle = new JsonObject();
        bundle.addProperty("text/plain", text);
        bundle.addProperty("text/html", html);
        return bundle;
    }

    /** "warm, 0.4 s", "warming, 6.1 s" or "cold, 9.8 s"; the mode alone while the time is unknown; null from a gateway that says neither. */
    private static String start(RemoteSession.Start start) {
        if (start == null || start.mode() == null || start.mode().isBlank()) {
            return null;
        }
        return start.millis() == null ? start.mode()
                : String.format(Locale.ROOT, "%s, %.1f s", start.mode(), start.millis() / 1000.0);
    }

    private static String link(String url) {
        return url == null ? "-" : Html.link(url, url);
    }
}

package io.hearth.kernel.display;

import com.google.gson.JsonObject;
import io.hearth.kernel.livy.RemoteSession;

/** The small table a cell shows when its session has started: session id, Spark application id and links. */
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
        String html = "<table class=\"hearth-session\"><tr><th>Session</th><th>Spark application</th>"
                + "<th>Spark UI</th><th>Driver log</th></tr><tr><td>" + session.id() + "</td><td>" + Html.escape(appId)
                + "</td><td>" + link(ui) + "</td><td>" + link(log) + "</td></tr></table>";
        String text = "Spark session " + session.id() + " started: application " + appId
                + (ui == null ? "" : ", Spark UI " + ui) + ", driver log " + log;
        JsonObject bundle = new JsonObject();
        bundle.addProperty("text/plain", text);
        bundle.addProperty("text/html", html);
        return bundle;
    }

    private static String link(String url) {
        return url == null ? "-" : Html.link(url, url);
    }
}

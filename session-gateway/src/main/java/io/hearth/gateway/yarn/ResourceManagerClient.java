package io.hearth.gateway.yarn;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The YARN ResourceManager's REST API, reached over plain HTTP at the web address its {@code yarn-site.xml} names: the
 * gateway needs no Hadoop library for it (simple authentication, one ResourceManager).
 */
public final class ResourceManagerClient {

    /** One application as the ResourceManager reports it ({@code /ws/v1/cluster/apps/{id}}). */
    public record AppReport(String id, String state, String finalStatus, String queue, String diagnostics,
                            String trackingUrl, String amContainerLogs) {

        /** FINISHED, FAILED or KILLED: the application will not run again. */
        public boolean ended() {
            return state.equals("FINISHED") || state.equals("FAILED") || state.equals("KILLED");
        }

        /** Submitted but not yet running: YARN has not (yet) given its ApplicationMaster a container. */
        public boolean waiting() {
            return List.of("NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED").contains(state);
        }
    }

    /** With simple authentication a caller names itself; the gateway's user submitted (or proxied) the applications. */
    private static final String USER = URLEncoder.encode(System.getProperty("user.name"), StandardCharsets.UTF_8);

    private final String webUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ResourceManagerClient(String webUrl) {
        this.webUrl = webUrl;
    }

    /** The ResourceManager of the {@code yarn-site.xml} in {@code hadoopConfDir}; the Hadoop default when it names none. */
    public static ResourceManagerClient of(Path hadoopConfDir) throws IOException {
        Map<String, String> site = properties(hadoopConfDir.resolve("yarn-site.xml"));
        String address = site.get("yarn.resourcemanager.webapp.address");
        if (address == null) {
            address = site.getOrDefault("yarn.resourcemanager.hostname", "0.0.0.0") + ":8088";
        }
        return new ResourceManagerClient("http://" + address);
    }

    /** The application's report; empty if the ResourceManager does not know it. */
    public Optional<AppReport> report(String appId) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(webUrl + "/ws/v1/cluster/apps/" + appId))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw new IOException("the ResourceManager answered " + r.statusCode() + " for " + appId);
        }
        return Optional.of(appReport(JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("app")));
    }

    /**
     * The application that carries {@code tag} (given to it as {@code spark.yarn.tags}), the newest if several do;
     * empty while the ResourceManager knows none. YARN keeps tags in lower case.
     */
    public Optional<AppReport> findByTag(String tag) throws IOException, InterruptedException {
        String query = URLEncoder.encode(tag.toLowerCase(Locale.ROOT), StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create(webUrl + "/ws/v1/cluster/apps?applicationTags=" + query))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("the ResourceManager answered " + r.statusCode() + " for the tag " + tag);
        }
        // {"apps": null} when none matches, else {"apps": {"app": [...]}}.
        JsonElement apps = JsonParser.parseString(r.body()).getAsJsonObject().get("apps");
        if (apps == null || !apps.isJsonObject() || !apps.getAsJsonObject().has("app")) {
            return Optional.empty();
        }
        AppReport newest = null;
        long newestStart = Long.MIN_VALUE;
        for (JsonElement e : apps.getAsJsonObject().getAsJsonArray("app")) {
            JsonObject app = e.getAsJsonObject();
            long started = app.has("startedTime") ? app.get("startedTime").getAsLong() : 0;
            if (newest == null || started > newestStart) {
                newest = appReport(app);
                newestStart = started;
            }
        }
        return Optional.ofNullable(newest);
    }

    private static AppReport appReport(JsonObject app) {
        return new AppReport(text(app, "id"), text(app, "state"), text(app, "finalStatus"), text(app, "queue"),
                text(app, "diagnostics"), text(app, "trackingUrl"), text(app, "amContainerLogs"));
    }

    /** Asks the ResourceManager to kill the application (as {@code yarn application -kill} does). */
    public void kill(String appId) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create(webUrl + "/ws/v1/cluster/apps/" + appId + "/state?user.name=" + USER))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"state\":\"KILLED\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 202) {
            throw new IOException("the ResourceManager answered " + r.statusCode() + " to killing " + appId);
        }
    }

    private static String text(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
    }

    // Hadoop's *-site.xml: <configuration><property><name/><value/></property>...
    static Map<String, String> properties(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setXIncludeAware(false);
            Document doc = f.newDocumentBuilder().parse(file.toFile());
            NodeList props = doc.getElementsByTagName("property");
            for (int i = 0; i < props.getLength(); i++) {
                Element p = (Element) props.item(i);
                NodeList name = p.getElementsByTagName("name");
                NodeList value = p.getElementsByTagName("value");
                if (name.getLength() > 0 && value.getLength() > 0) {
                    values.put(name.item(0).getTextContent().strip(), value.item(0).getTextContent().strip());
                }
            }
            return values;
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

package io.hearth.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the pool tests read of a real gateway: its /metrics samples and the pids in its pool record. */
final class PoolGauges {

    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+(?:\\{.*\\})?) (\\S+)");

    private PoolGauges() {
    }

    /** Every sample of {@code GET /metrics}, by name with its labels (e.g. {@code hearth_pool_engines{state="ready"}}). */
    static Map<String, Double> metrics(Gateway gateway) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(gateway.baseUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Double> samples = new HashMap<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return samples;
    }

    /** The pids of the pooled engines as the gateway's state dir records them ({@code pool-engines}). */
    static List<Long> pooledPids(Path stateDir) throws IOException {
        Path record = stateDir.resolve("pool-engines");
        if (!Files.isRegularFile(record)) {
            return List.of();
        }
        return Files.readAllLines(record).stream().filter(l -> !l.isBlank())
                .map(l -> Long.parseLong(l.split(" ")[0])).toList();
    }
}

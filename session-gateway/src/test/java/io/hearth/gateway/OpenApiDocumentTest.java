package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.Settings;
import io.hearth.gateway.rest.OpsApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI file documents every route the gateway registers, parses as OpenAPI 3, and is what the gateway serves.
 * No engine is needed: the routes exist before any session does.
 */
class OpenApiDocumentTest {

    @Test
    void everyRegisteredRouteIsDocumentedAndTheServedFileIsTheParsableResource() throws Exception {
        byte[] resource = resource();
        Map<String, Object> doc = new Yaml().load(new String(resource, java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(String.valueOf(doc.get("openapi")).startsWith("3."), "not OpenAPI 3: " + doc.get("openapi"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");

        TestConfig noEngine = TestConfig.of(java.nio.file.Path.of("no-engine-needed.jar"), "python3");
        try (Gateway gateway = Gateway.start(noEngine.with(Settings.STATE_DIR, TestEngine.stateDir()).build())) {
            List<String> routes = gateway.routes();
            assertTrue(routes.contains("GET /sessions/{session}/statements/{statement}/events"), routes.toString());
            List<String> undocumented = new ArrayList<>();
            for (String route : routes) {
                String[] methodAndPath = route.split(" ", 2);
                Map<String, Object> item = paths.get(methodAndPath[1]);
                if (item == null || !item.containsKey(methodAndPath[0].toLowerCase(Locale.ROOT))) {
                    undocumented.add(route);
                }
            }
            assertEquals(List.of(), undocumented, "routes missing from openapi.yaml");
            List<String> unserved = new ArrayList<>();
            paths.forEach((path, item) -> item.keySet().stream()
                    .filter(k -> List.of("get", "post", "put", "delete", "patch").contains(k))
                    .map(k -> k.toUpperCase(Locale.ROOT) + " " + path)
                    .filter(route -> !routes.contains(route)).forEach(unserved::add));
            assertEquals(List.of(), unserved, "openapi.yaml documents routes the gateway does not serve");

            HttpResponse<byte[]> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(gateway.baseUrl() + "/openapi.yaml")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, served.statusCode());
            assertArrayEquals(resource, served.body());
        }
    }

    @Test
    void everyReferenceInTheFileResolves() throws IOException {
        String text = new String(resource(), java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> doc = new Yaml().load(text);
        Matcher m = Pattern.compile("\\$ref: '#/([^']+)'").matcher(text);
        int refs = 0;
        while (m.find()) {
            Object node = doc;
            for (String part : m.group(1).split("/")) {
                assertTrue(node instanceof Map<?, ?> map && map.containsKey(part), "unresolved $ref " + m.group(1));
                node = ((Map<?, ?>) node).get(part);
            }
            refs++;
        }
        assertFalse(refs == 0, "no references found: the pattern is wrong");
    }

    private static byte[] resource() throws IOException {
        try (InputStream in = OpsApi.class.getResourceAsStream(OpsApi.OPENAPI_RESOURCE)) {
            return in.readAllBytes();
        }
    }
}

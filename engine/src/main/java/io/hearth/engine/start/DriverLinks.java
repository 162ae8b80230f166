package io.hearth.engine.start;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.webapp.util.WebAppUtils;
import org.apache.spark.SparkContext;

/**
 * Where users reach the driver's UI and log. On YARN the UI is reached through the ResourceManager's web proxy (the
 * driver's own address redirects there, and may not be reachable from the user's network), and a driver running in a
 * YARN container (cluster deploy mode) has its log served by that container's NodeManager. Elsewhere the UI is the
 * driver's own address and the log is the gateway's session log (null here).
 */
public record DriverLinks(String sparkUiUrl, String driverLogUrl) {

    /** The links of the running {@code sc}; {@code env} is the driver's environment (a YARN container's, or not). */
    public static DriverLinks of(SparkContext sc, Map<String, String> env) {
        String ui = sc.uiWebUrl().isDefined() ? sc.uiWebUrl().get() : null;
        if (!sc.master().startsWith("yarn")) {
            return new DriverLinks(ui, null);
        }
        YarnConfiguration yarn = new YarnConfiguration(sc.hadoopConfiguration());
        String scheme = WebAppUtils.getHttpSchemePrefix(yarn);
        List<String> proxies = WebAppUtils.getProxyHostsAndPortsForAmFilter(yarn);
        String proxied = ui == null || proxies.isEmpty() ? ui
                : scheme + proxies.get(0) + "/proxy/" + sc.applicationId() + "/";
        return new DriverLinks(proxied, containerLog(env, scheme));
    }

    /** The NodeManager's page of this container's logs, when the driver runs in one; YARN sets these variables. */
    static String containerLog(Map<String, String> env, String scheme) {
        String container = env.get("CONTAINER_ID");
        String host = env.get("NM_HOST");
        String port = env.get("NM_HTTP_PORT");
        String user = env.get("USER");
        if (container == null || host == null || port == null || user == null) {
            return null;
        }
        return scheme + host + ":" + port + "/node/containerlogs/" + container + "/" + user;
    }
}

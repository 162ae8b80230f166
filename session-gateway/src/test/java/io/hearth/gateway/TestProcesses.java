package io.hearth.gateway;

import java.util.List;

/** Finds engine JVMs among a process's descendants, by the jar they run. */
final class TestProcesses {

    private TestProcesses() {}

    static List<ProcessHandle> engines(ProcessHandle ancestor) {
        return ancestor.descendants().filter(TestProcesses::isEngine).toList();
    }

    static boolean isEngine(ProcessHandle p) {
        return p.info().arguments().map(List::of).orElse(List.of()).stream()
                .anyMatch(a -> a.endsWith("hearth-engine.jar"));
    }

    /** The engine launched for the session with this Spark application name. */
    static ProcessHandle engineNamed(ProcessHandle ancestor, String appName) {
        return engines(ancestor).stream()
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).contains("spark.app.name=" + appName))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no engine for " + appName + " among " + engines(ancestor)));
    }
}

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

    /** The engine launched for this session, found by the session id in its environment (Linux's /proc). */
    static ProcessHandle engineOfSession(ProcessHandle ancestor, int sessionId) {
        return engines(ancestor).stream()
                .filter(p -> environment(p).contains("HEARTH_SESSION_ID=" + sessionId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no engine for session " + sessionId + " among "
                        + engines(ancestor)));
    }

    /** The process's environment entries; empty if it cannot be read. */
    static java.util.List<String> environment(ProcessHandle p) {
        try {
            byte[] raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "environ"));
            return List.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0"));
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}

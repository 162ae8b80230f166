package io.hearth.gateway;

import java.util.List;

/** Finds engine JVMs among a process's descendants, by the jar they run. */
final class TestProcesses {

    private TestProcesses() {}

    static List<ProcessHandle> engines(ProcessHandle ancestor) {
        return ancestor.descendants().filter(TestProcesses::isEngine).toList();
    }

    static boolean isEngine(ProcessHandle p) {
        // Not ProcessHandle.Info.arguments(): the JDK gives none for a long command line (a spark-submit driver's).
        return commandLine(p).stream().anyMatch(a -> a.endsWith("hearth-engine.jar"));
    }

    /** The engine launched for this session, found by the session id in its environment (Linux's /proc). */
    static ProcessHandle engineOfSession(ProcessHandle ancestor, int sessionId) {
        return engines(ancestor).stream()
                .filter(p -> environment(p).contains("HEARTH_SESSION_ID=" + sessionId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no engine for session " + sessionId + " among "
                        + engines(ancestor)));
    }

    /** The process's full command line (Linux's /proc; the JDK gives none when it is long); empty if unreadable. */
    static List<String> commandLine(ProcessHandle p) {
        try {
            byte[] raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return List.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0"));
        } catch (java.io.IOException e) {
            return List.of();
        }
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

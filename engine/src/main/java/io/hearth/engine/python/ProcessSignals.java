package io.hearth.engine.python;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Sends SIGINT to a child process: Java has no API for it, and only SIGINT makes Python raise KeyboardInterrupt. */
final class ProcessSignals {

    private ProcessSignals() {
    }

    /** @return whether {@code kill} reported success */
    static boolean interrupt(long pid) {
        try {
            return run("kill", "-INT", Long.toString(pid));
        } catch (IOException noKillBinary) {
            // Minimal images may lack /bin/kill; every POSIX shell has kill built in.
            try {
                return run("sh", "-c", "kill -INT " + pid);
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static boolean run(String... command) throws IOException {
        Process kill = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

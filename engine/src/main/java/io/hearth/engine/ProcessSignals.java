package io.hearth.engine;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Sends SIGINT to a child process: Java has no API for it, and only SIGINT makes Python raise KeyboardInterrupt. */
final class ProcessSignals {

    private ProcessSignals() {
    }

    /** @return whether {@code kill} reported success */
    static boolean interrupt(long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package io.hearth.gateway.batch;

import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.IdOrName;
import io.hearth.gateway.launch.BatchLauncher;
import io.hearth.gateway.launch.EngineAccounts;
import io.hearth.gateway.launch.EngineProcess;
import io.hearth.gateway.launch.OsAccount;
import io.hearth.gateway.launch.SparkDefaults;
import io.hearth.gateway.threads.NamedThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's batches: submits them through the batch launcher, finds them by id or name, kills and forgets them,
 * and after a restart takes back those of the store, following again the drivers that still run.
 */
public final class Batches implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Batches.class);

    /** What {@link #delete} did. */
    public enum Deletion { KILLED, REMOVED, NOT_FOUND }

    private final BatchLauncher launcher;
    private final SparkDefaults sparkDefaults;
    private final int maxRunning;
    private final Path logDir;
    private final EngineAccounts accounts;
    private final Path workRoot;
    private final BatchStore store;
    private final ConcurrentSkipListMap<Integer, Batch> byId = new ConcurrentSkipListMap<>();
    /** Process-exit notices, one at a time. */
    private final ExecutorService events =
            Executors.newSingleThreadExecutor(new NamedThreadFactory("hearth-batch-events", true));

    /**
     * @param maxRunning how many batches may be starting or running at once ({@code hearth.session.max})
     * @param logDir     where each batch's log file ({@code <id>.log}) and exit code ({@code <id>.exit}) go
     * @param accounts   which OS account each batch's spark-submit runs as
     * @param workRoot   where a batch that runs as an account gets its directory ({@code batch-<id>}); null when
     *                   batches run as the gateway's own
     */
    public Batches(BatchLauncher launcher, SparkDefaults sparkDefaults, int maxRunning, Path logDir,
                   EngineAccounts accounts, Path workRoot, BatchStore store) {
        this.accounts = accounts;
        this.workRoot = workRoot;
        this.launcher = launcher;
        this.store = store;
        this.logDir = logDir;
        this.sparkDefaults = sparkDefaults;
        this.maxRunning = maxRunning;
    }

    /** Registers and submits a batch; a submission that fails leaves a dead batch whose log says why, as in Livy. */
    public synchronized Batch create(BatchSpec spec) {
        // Names are per owner, as sessions' are: another user's name is not taken, so the answer tells nothing of it.
        if (spec.name() != null && byId.values().stream()
                .anyMatch(b -> spec.name().equals(b.name()) && Objects.equals(spec.owner(), b.owner()))) {
            throw ApiException.badRequest("Duplicate batch name: " + spec.name() + " (you already have a batch of that"
                    + " name; delete it or choose another name)");
        }
        long running = byId.values().stream().filter(b -> !b.info().state().isFinished()).count();
        if (running >= maxRunning) {
            // Each batch is a driver JVM: without a cap, a client could start them until the machine gives out.
            throw ApiException.tooManyRequests("Too many batches: " + running + " are running and the limit is "
                    + maxRunning + " (hearth.session.max, which caps running batches too); wait for one to end or"
                    + " delete one, or ask the operator to raise hearth.session.max", 0);
        }
        // Refused before an id is taken, as a session is: a user's application never runs as the gateway's account.
        OsAccount account = accounts.forSession(spec.owner(), spec.proxyUser()).orElse(null);
        int id = store.reserveBatchId();
        Path logFile = logDir.resolve(id + ".log");
        for (Path left : List.of(logFile, exitFile(id))) {
            try {
                // Left by a gateway from before batch ids were stored, which handed the same ids out again.
                Files.deleteIfExists(left);
            } catch (IOException e) {
                LOG.warn("Batch {}: cannot remove the old file {}: {}", id, left, e.getMessage());
            }
        }
        Batch batch = new Batch(id, spec, logFile, exitFile(id), store);
        byId.put(id, batch);
        Map<String, String> conf = sparkDefaults.apply(spec.sparkConf(id));
        try {
            EngineProcess process = launcher.launchBatch(new BatchLauncher.BatchLaunchSpec(id, spec.file(),
                    spec.className(), spec.args(), conf, spec.proxyUser(), exitFile(id), account,
                    account == null ? null : workRoot.resolve("batch-" + id)), batch.log());
            batch.launched(process);
            LOG.info("Batch {}: {} submitted, pid {}", id, spec.file(), process.pid());
            process.onExit().thenAcceptAsync(batch::exited, events);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Batch {}: could not submit {}: {}", id, spec.file(), e.getMessage());
            batch.launchFailed(e.getMessage());
        }
        return batch;
    }

    private Path exitFile(int id) {
        return logDir.resolve(id + ".exit");
    }

    /**
     * Takes back every stored batch; call once, before the REST API serves. A batch whose driver still runs (the same
     * pid and start time) is followed to its end again; one whose driver is gone ends as its exit file says, or dead
     * as lost.
     */
    public synchronized void recover() {
        for (BatchStore.BatchRow row : store.loadBatches()) {
            Batch batch = Batch.restore(row, exitFile(row.id()), store);
            byId.put(row.id(), batch);
            if (batch.isFinished()) {
                continue;
            }
            Optional<EngineProcess> driver = EngineProcess.adopt(row.driverPid(), row.driverStarted());
            if (driver.isPresent()) {
                batch.adopted(driver.get());
                driver.get().onExit().thenAcceptAsync(batch::exited, events);
                LOG.info("Batch {} recovered: its process {} still runs", row.id(), row.driverPid());
            } else {
                batch.goneAtRestart();
                LOG.info("Batch {} recovered: its process {} had ended; {}", row.id(), row.driverPid(),
                        batch.info().state().wireName());
            }
        }
    }

    /** A batch by its numeric id or its name; with several of one name, the first. */
    public Optional<Batch> find(String idOrName) {
        return IdOrName.find(idOrName, byId, Batch::name);
    }

    /**
     * A batch by its numeric id, or by its name among {@code user}'s own batches (names are per owner); a caller who may
     * see every batch ({@code anyOwner}) finds another's by name when they have none of that name.
     */
    public Optional<Batch> find(String idOrName, String user, boolean anyOwner) {
        if (IdOrName.isNumericId(idOrName)) {
            return find(idOrName);
        }
        List<Batch> named = byId.values().stream().filter(b -> idOrName.equals(b.name())).toList();
        Optional<Batch> own = named.stream().filter(b -> Objects.equals(user, b.owner())).findFirst();
        return own.isPresent() || !anyOwner ? own : named.stream().findFirst();
    }

    public List<Batch> list() {
        return new ArrayList<>(byId.values());
    }

    /**
     * Kills a batch that still runs (it stays listed as {@code killed}, its log kept, so the client sees what
     * happened); forgets one that had ended.
     */
    public Deletion delete(String idOrName) throws InterruptedException {
        Optional<Batch> found = find(idOrName);
        return found.isEmpty() ? Deletion.NOT_FOUND : delete(found.get());
    }

    /** As {@link #delete(String)}, for a batch already found. */
    public Deletion delete(Batch batch) throws InterruptedException {
        if (batch.kill()) {
            LOG.info("Batch {} killed", batch.id());
            return Deletion.KILLED;
        }
        if (!byId.remove(batch.id(), batch)) {
            return Deletion.NOT_FOUND;
        }
        store.deleteBatch(batch.id());
        return Deletion.REMOVED;
    }

    /**
     * Lets go of every batch without killing its driver, for a gateway that failed to start after recovering them: the
     * next start that succeeds follows them again.
     */
    public void closeKeepingDrivers() {
        byId.clear();
        events.shutdown();
    }

    /** Kills every batch still running. */
    @Override
    public void close() {
        for (Batch b : list()) {
            try {
                b.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        byId.clear();
        events.shutdown();
        try {
            events.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

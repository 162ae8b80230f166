package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading a cluster application's id and end from spark-submit's output (lines as Spark 4.2.0's YARN client writes). */
class ClusterApplicationTest {

    private static final List<String> KILLED = List.of(
            "26/12/02 22:44:35 INFO Client: Submitted application application_1796251424563_0001",
            "26/12/02 22:45:50 INFO Client: Application report for application_1796251424563_0001 (state: RUNNING)",
            "26/12/02 22:46:14 INFO Client: Application report for application_1796251424563_0001 (state: KILLED)",
            "26/12/02 22:46:14 INFO Client: ",
            "\t client token: N/A",
            "\t diagnostics: Application application_1796251424563_0001 was killed by user root",
            "\t ApplicationMaster host: N/A",
            "\t final status: KILLED",
            "\t user: root",
            "Exception in thread \"main\" org.apache.spark.SparkException: Application application_1796251424563_0001 is killed");

    @Test
    void theIdIsWhatSparkSubmitSaidItSubmitted() {
        assertEquals(Optional.of("application_1796251424563_0001"), ClusterApplication.id(KILLED));
        assertEquals(Optional.empty(), ClusterApplication.id(List.of("INFO Client: Requesting a new application")));
    }

    @Test
    void theEndingNamesYarnsFinalStatusAndItsDiagnostics() {
        assertEquals(Optional.of("the YARN application application_1796251424563_0001 ended KILLED: Application"
                + " application_1796251424563_0001 was killed by user root"), ClusterApplication.ending(KILLED));
    }

    @Test
    void aRunningApplicationHasNoEnding() {
        assertEquals(Optional.empty(), ClusterApplication.ending(KILLED.subList(0, 2)));
    }
}

package io.hearth.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What both sides share stays apart from both: no Spark, no engine, no gateway, no kernel, and no package cycles. */
class ProtocolStructureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // The module's own class directory only: scanning the class path (all of Spark) would take tens of seconds.
        main = new ClassFileImporter().importPath(classDirectoryOf(ChannelMessage.class));
    }

    private static Path classDirectoryOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theProtocolDependsOnNeitherSideNorSpark() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..",
                        "io.hearth.engine..", "io.hearth.gateway..", "io.hearth.kernel..")
                .because("the gateway must not depend on Spark or the engine through the protocol they share")
                .check(main);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.hearth.(**)").should().beFreeOfCycles().check(main);
    }
}

package io.hearth.kernel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The kernel's package structure: no package depends on itself through others, and the kernel never reaches into the
 * gateway's, the engine's or the channel protocol's code, nor into Spark (it speaks only HTTP to the gateway).
 */
class KernelStructureTest {

    // Each package of the kernel (the root package included) is a slice of its own.
    private static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.hearth.(**)").should().beFreeOfCycles();
    private static final ArchRule ONLY_HTTP_TO_THE_GATEWAY = noClasses().that().resideInAPackage("io.hearth.kernel..")
            .should().dependOnClassesThat().resideInAnyPackage("io.hearth.gateway..", "io.hearth.engine..",
                    "io.hearth.protocol..", "org.apache.spark..");

    private static final JavaClasses KERNEL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hearth.kernel");

    @Test
    void noPackageOfTheKernelDependsOnItselfThroughOthers() {
        assertTrue(KERNEL.containPackage("io.hearth.kernel.magic"), "the kernel's classes were found");
        NO_PACKAGE_CYCLES.check(KERNEL);
    }

    @Test
    void theKernelUsesNoCodeOfTheGatewayTheEngineTheirProtocolOrSpark() {
        ONLY_HTTP_TO_THE_GATEWAY.check(KERNEL);
    }

    @Test
    void bothRulesFailOnCodeThatBreaksThem() {
        // Test classes made for this: two packages that use each other, one of them using "gateway" code.
        JavaClasses broken = new ClassFileImporter().importPackages("io.hearth.kernel.structurefixture");
        assertThrows(AssertionError.class, () -> NO_PACKAGE_CYCLES.check(broken));
        assertThrows(AssertionError.class, () -> ONLY_HTTP_TO_THE_GATEWAY.check(broken));
    }
}

package io.hearth.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The gateway's packages: no cycles between them, the application package ({@link Gateway}, {@link GatewayMain}) on
 * top of the others, and none of what the gateway must never see: Spark itself (only its launcher library), the
 * engine, the kernel.
 */
class PackageStructureTest {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hearth.gateway");

    @Test
    void thePackagesDependOnEachOtherWithoutCycles() {
        slices().matching("io.hearth.gateway.(*)..").namingSlices("$1").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void nothingDependsOnTheApplicationPackageThatWiresTheOthers() {
        noClasses().that().resideOutsideOfPackage("io.hearth.gateway")
                .should().dependOnClassesThat().resideInAPackage("io.hearth.gateway")
                .check(GATEWAY);
    }

    @Test
    void theGatewaySeesOfSparkOnlyItsLauncherLibrary() {
        noClasses().should().dependOnClassesThat(resideInAPackage("org.apache.spark..")
                        .and(not(resideInAPackage("org.apache.spark.launcher.."))))
                .check(GATEWAY);
    }

    @Test
    void theGatewayNeverSeesHadoop() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.hadoop..").check(GATEWAY);
    }

    @Test
    void theGatewayNeverSeesTheEngineOrTheKernel() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.hearth.engine..", "io.hearth.kernel..")
                .check(GATEWAY);
    }
}

package io.hearth.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages: no cycles between them, no dependency on the gateway's or the kernel's code, the root package
 * as the composition root only, and each language's interpreter on its own.
 */
class EngineStructureTest {

    private static final String ENGINE = "io.hearth.engine";
    private static final List<String> LANGUAGES = List.of("python", "scala", "sql", "jshell");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // The module's own class directory only: scanning the class path (all of Spark) would take tens of seconds.
        main = new ClassFileImporter().importPath(classDirectoryOf(EngineMain.class));
    }

    private static Path classDirectoryOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void packagesHaveNoCycles() {
        // Each package is a slice of its own, the root one included.
        slices().matching("io.hearth.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void theEngineNeverSeesTheGatewayOrTheKernel() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.hearth.gateway..", "io.hearth.kernel..")
                .because("the gateway and the engine meet only in engine-protocol, and the kernel speaks HTTP")
                .check(main);
    }

    @Test
    void onlyTheRootPackageWiresTheEngineTogether() {
        noClasses().that().resideInAPackage(ENGINE + ".*..").should().dependOnClassesThat().resideInAPackage(ENGINE)
                .because("io.hearth.engine holds the composition root (EngineMain), which nothing else needs")
                .check(main);
    }

    @Test
    void eachLanguageStandsAlone() {
        for (String language : LANGUAGES) {
            String[] others = LANGUAGES.stream().filter(l -> !l.equals(language))
                    .map(l -> ENGINE + "." + l + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage(ENGINE + "." + language + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .orShould().dependOnClassesThat().resideInAnyPackage(ENGINE + ".run..", ENGINE + ".link..")
                    .because("an interpreter knows the interpreter contracts, not other languages, the runner or the"
                            + " gateway link")
                    .check(main);
        }
    }
}

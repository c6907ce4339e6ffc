package dev.golemsandbox.testcontainers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The Testcontainers module stays light: a user who depends on it gets Testcontainers and Jackson, nothing of the server. */
@AnalyzeClasses(packages = "dev.golemsandbox.testcontainers", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleDependenciesTest {

    @ArchTest
    static final ArchRule dependsOnTestcontainersAndJacksonOnly = classes()
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.testcontainers..", "com.github.dockerjava..",
                    "com.fasterxml.jackson..", "dev.golemsandbox.testcontainers..")
            .because("the module must not pull Javalin, picocli or the QEMU runtime into a user's tests");
}

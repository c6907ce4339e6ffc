package dev.golemsandbox.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.golemsandbox.activity.ActivityService;
import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.market.Market;
import dev.golemsandbox.payment.Payment;
import dev.golemsandbox.provider.Providers;
import java.util.Set;

/**
 * The shape of the code, checked on every build: the packages form no cycle, the QEMU runtime and
 * the Java client know nothing of the server, the HTTP kit knows nothing of the services, nothing
 * below the CLI imports it, and only the composition root ({@code dev.golemsandbox.sandbox})
 * builds the sandbox's services.
 */
@AnalyzeClasses(packages = "dev.golemsandbox",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.WithoutTestJars.class})
class ArchitectureTest {

    /** The runtime's test-jar (shared test helpers) is on the test classpath; it is not production code. */
    static final class WithoutTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    /** The services the composition root wires together; nobody else may construct them. */
    private static final Set<Class<?>> SERVICES = Set.of(Market.class, Payment.class, Providers.class, ActivityService.class);

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("dev.golemsandbox.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule runtimeQemuKnowsNothingOfTheSimulator = noClasses().that(areFrom("runtime-qemu"))
            .should().dependOnClassesThat(areFrom("simulator"))
            .because("runtime-qemu is a library the simulator builds on, never the other way round");

    @ArchTest
    static final ArchRule theClientKnowsNothingOfTheServer = classes().that(areFrom("client"))
            .should().onlyDependOnClassesThat(areFrom("client").or(JavaClass.Predicates.resideInAnyPackage(
                    "java..", "com.sun.net.httpserver..", "com.fasterxml.jackson..")))
            .because("the Java client is a separate artifact that depends on Jackson only");

    @ArchTest
    static final ArchRule theHttpKitKnowsNoService = classes().that().resideInAPackage("dev.golemsandbox.http..")
            .should().onlyDependOnClassesThat(JavaClass.Predicates.resideOutsideOfPackage("dev.golemsandbox..")
                    .or(JavaClass.Predicates.resideInAnyPackage("dev.golemsandbox.http..", "dev.golemsandbox.json..")))
            .because("the HTTP kit is what every API uses; it must not pull any of them in");

    @ArchTest
    static final ArchRule nothingBelowTheCliImportsIt = noClasses().that().resideOutsideOfPackage("dev.golemsandbox.cli..")
            .should().dependOnClassesThat().resideInAPackage("dev.golemsandbox.cli..");

    @ArchTest
    static final ArchRule onlyTheCompositionRootConstructsServices = classes()
            .that().resideOutsideOfPackage("dev.golemsandbox.sandbox..")
            .should(notConstructServices())
            .because("services are wired together in one place, dev.golemsandbox.sandbox");

    /** Classes loaded from a module's build output or jar, told apart by the path they come from. */
    private static DescribedPredicate<JavaClass> areFrom(String module) {
        String marker = switch (module) {
            case "runtime-qemu" -> "runtime-qemu";
            case "client" -> "client";
            case "simulator" -> "simulator/target/classes";
            default -> throw new IllegalArgumentException(module);
        };
        return DescribedPredicate.describe("are from " + module, c -> c.getSource()
                .map(source -> source.getUri().toString().contains(marker))
                .orElse(false));
    }

    private static ArchCondition<JavaClass> notConstructServices() {
        return new ArchCondition<>("not construct a service (" + SERVICES.size() + " classes and every ApiComponent)") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (JavaConstructorCall call : item.getConstructorCallsFromSelf()) {
                    JavaClass target = call.getTargetOwner();
                    boolean service = SERVICES.stream().anyMatch(target::isEquivalentTo) || target.isAssignableTo(ApiComponent.class);
                    if (service && !target.equals(item)) {
                        events.add(SimpleConditionEvent.violated(call, call.getDescription()));
                    }
                }
            }
        };
    }
}

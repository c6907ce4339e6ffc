package dev.golemsandbox.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a golem-sandbox in this JVM for the annotated test class, on a free port, and injects a
 * {@link GolemSandbox} into test methods, constructors and lifecycle methods that ask for one.
 *
 * <pre>{@code
 * @GolemSandboxTest
 * class MyRequestorTest {
 *     @Test
 *     void echoes(GolemSandbox sandbox) {
 *         try (Rental rental = sandbox.requestor().rent(RentalSpec.imageTag("golem/alpine:latest"));
 *              Activity activity = rental.newActivity()) {
 *             activity.deployAndStart();
 *             assertEquals("hi\n", activity.shell("echo hi").stdout());
 *         }
 *     }
 * }
 * }</pre>
 *
 * The data directory is {@code $GOLEM_SANDBOX_HOME}, else one under the build's {@code target/}
 * (see {@link GolemSandboxExtension}), never the user's own, so the guest kernel and images are
 * prepared once and reused; the server, its activities and their volumes are the test's own.
 * Every VM is stopped when the class ends (or the run, with {@link #shared()}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(GolemSandboxExtension.class)
public @interface GolemSandboxTest {

    /** How many simulated providers the sandbox has. */
    int providers() default 3;

    /**
     * Share one sandbox among every class of the test run that also asks for a shared one (with
     * the same number of providers), instead of one per class. Faster; activities of earlier
     * classes are gone, but their recordings and images stay.
     */
    boolean shared() default false;
}

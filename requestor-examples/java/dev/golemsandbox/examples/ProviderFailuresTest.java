package dev.golemsandbox.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.client.YagnaApiException;
import dev.golemsandbox.junit.GolemSandbox;
import dev.golemsandbox.junit.GolemSandboxExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A requestor that survives its providers: the sandbox is told to fail (faults from the builder
 * and from the test), and the requestor code recovers the way it would have to on the network.
 */
class ProviderFailuresTest {

    /** The first VM crashes as its first run command begins; every later one works. */
    @RegisterExtension
    static GolemSandboxExtension sandbox = GolemSandboxExtension.builder()
            .providers(2)
            .fault("{\"fault\": \"crash-vm\", \"atCommand\": \"run\", \"times\": 1}")
            .build();

    @Test
    void aTaskWhoseVmCrashedIsRetriedOnAFreshActivity(GolemSandbox sandbox) {
        try (Rental rental = sandbox.requestor().rent(RentalSpec.imageTag("golem/alpine:latest"))) {
            CommandResult result = runWithOneRetry(rental, "echo done");
            assertThat(result.stdout()).isEqualTo("done\n");
        }
    }

    @Test
    void anAgreementTheProviderTerminatesEndsTheRentalAndANewOneWorks(GolemSandbox sandbox) {
        String fault = sandbox.addFault("{\"fault\": \"terminate\", \"afterSeconds\": 1, \"reason\": \"going offline\", \"times\": 1}");
        try (Rental rental = sandbox.requestor().rent(RentalSpec.imageTag("golem/alpine:latest"))) {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            YagnaApiException refused = null;
            while (refused == null && Instant.now().isBefore(deadline)) {
                try (Activity activity = rental.newActivity()) {
                    sleep(Duration.ofMillis(500));
                } catch (YagnaApiException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("the provider ended the agreement within a minute").isNotNull();
            assertThat(refused.status()).isEqualTo(410);
        } finally {
            sandbox.removeFault(fault);
        }
        try (Rental again = sandbox.requestor().rent(RentalSpec.imageTag("golem/alpine:latest"))) {
            assertThat(runWithOneRetry(again, "echo back").stdout()).isEqualTo("back\n");
        }
    }

    @Test
    void aFaultThatIsNotValidIsRefusedWithTheReason(GolemSandbox sandbox) {
        assertThatThrownBy(() -> sandbox.addFault("{\"fault\": \"meteor\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown fault \"meteor\"");
    }

    /** What requestor code does on the network: a task that fails because its VM died runs again on a new activity. */
    private static CommandResult runWithOneRetry(Rental rental, String command) {
        try (Activity first = rental.newActivity()) {
            first.deployAndStart();
            CommandResult result = first.shell(command);
            if (result.ok()) {
                return result;
            }
            assertThat(first.state()).as("a failed task whose VM died leaves the activity Terminated").isEqualTo("Terminated");
        }
        try (Activity retry = rental.newActivity()) {
            retry.deployAndStart();
            return retry.shell(command);
        }
    }

    private static void sleep(Duration time) {
        try {
            Thread.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

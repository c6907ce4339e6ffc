package dev.golemsandbox.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.junit.GolemSandbox;
import dev.golemsandbox.junit.GolemSandboxTest;
import org.junit.jupiter.api.Test;

/**
 * Within one activity every task runs in the same VM: what one task writes, anywhere, the next one
 * reads. A new activity is a new VM and starts from the image again.
 */
@GolemSandboxTest(shared = true)
class PersistenceTest {

    @Test
    void filesWrittenByOneTaskAreThereForTheNextTaskOfTheSameActivity(GolemSandbox sandbox) {
        try (Rental rental = sandbox.requestor().rent(RentalSpec.imageTag("golem/alpine:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();

            activity.shell("echo in-volume > /golem/work/state.txt && echo in-memory > /root/state.txt");

            assertThat(activity.shell("cat /golem/work/state.txt /root/state.txt").stdout())
                    .isEqualTo("in-volume\nin-memory\n");
        }
    }

    @Test
    void aNewActivityDoesNotSeeTheFilesOfTheLastOne(GolemSandbox sandbox) {
        try (Rental rental = sandbox.requestor().rent(RentalSpec.imageTag("golem/alpine:latest"))) {
            try (Activity first = rental.newActivity()) {
                first.deployAndStart();
                first.shell("echo in-volume > /golem/work/state.txt && echo in-memory > /root/state.txt");
            }
            try (Activity second = rental.newActivity()) {
                second.deployAndStart();
                assertThat(second.shell("ls /golem/work/state.txt").ok()).isFalse();
                assertThat(second.shell("ls /root/state.txt").ok()).isFalse();
            }
        }
    }
}

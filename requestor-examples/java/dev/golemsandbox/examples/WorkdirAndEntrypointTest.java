package dev.golemsandbox.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.junit.GolemSandbox;
import dev.golemsandbox.junit.GolemSandboxTest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WORKDIR is where every command starts; ENTRYPOINT and CMD are never run by a provider. */
@GolemSandboxTest(shared = true)
class WorkdirAndEntrypointTest {

    @BeforeAll
    static void image(GolemSandbox sandbox, @TempDir Path dir) throws Exception {
        BehavioursImage.pushTo(sandbox, dir);
    }

    @Test
    void workdirIsTheDefaultDirectoryOfEveryCommand(GolemSandbox sandbox) {
        try (Rental rental = sandbox.requestor().rent(RentalSpec.imageTag(BehavioursImage.TAG));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();

            assertThat(activity.run("/bin/pwd").stdout()).isEqualTo("/golem/work\n");
            activity.shell("echo relative > note.txt");
            assertThat(sandbox.hostDirOf(activity, "/golem/work").resolve("note.txt")).hasContent("relative");
        }
    }

    @Test
    void entrypointAndCmdDoNotRun(GolemSandbox sandbox) {
        try (Rental rental = sandbox.requestor().rent(RentalSpec.imageTag(BehavioursImage.TAG));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            activity.shell("true");

            assertThat(activity.shell("ls /opt/app").stdout()).isEqualTo("data.txt\n");
        }
    }
}

package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.gvmi.ContainerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Command-line config on top of an image's own. */
class ConfigOverridesTest {

    private static final ContainerConfig IMAGE = ContainerConfig.empty()
            .withEnv(List.of("PATH=/bin", "MODE=slow"))
            .withVolumes(List.of("/golem/output"))
            .withWorkingDir("/app")
            .withCmd(List.of("serve"))
            .withUser("0");

    @Test
    void envReplacesByKeyVolumesAddAndTheRestReplaces() {
        ContainerConfig config = new ConfigOverrides("/golem/work", List.of("MODE=fast", "NEW=x=y"),
                List.of("/golem/input", "/golem/output/"), List.of("/bin/sh", "-c"), List.of(), "1000:1000").applyTo(IMAGE);
        assertThat(config.env()).containsExactly("PATH=/bin", "MODE=fast", "NEW=x=y");
        assertThat(config.volumes()).containsExactly("/golem/output", "/golem/input");
        assertThat(config.workingDir()).contains("/golem/work");
        assertThat(config.entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(config.cmd()).isEmpty();
        assertThat(config.user()).contains("1000:1000");
    }

    @Test
    void noOverridesKeepTheImageConfig() {
        assertThat(ConfigOverrides.none().applyTo(IMAGE)).isEqualTo(IMAGE);
    }

    @Test
    void invalidValuesNameTheFlag() {
        assertThatThrownBy(() -> new ConfigOverrides("work", null, null, null, null, null))
                .hasMessage("--workdir must be an absolute path, not 'work'");
        assertThatThrownBy(() -> new ConfigOverrides(null, List.of("=x"), null, null, null, null))
                .hasMessage("--env takes KEY=value, not '=x'");
        assertThatThrownBy(() -> new ConfigOverrides(null, null, List.of("data"), null, null, null))
                .hasMessage("--volume must be an absolute directory below /, not 'data'");
        assertThatThrownBy(() -> new ConfigOverrides(null, null, List.of("/"), null, null, null))
                .hasMessage("--volume must be an absolute directory below /, not '/'");
    }
}

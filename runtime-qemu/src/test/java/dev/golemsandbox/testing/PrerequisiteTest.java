package dev.golemsandbox.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing prerequisite skips a test on a developer's machine and fails it under CI=true. */
class PrerequisiteTest {

    @Test
    void aMetPrerequisiteLetsTheTestRun() {
        assertThatCode(() -> Prerequisite.require(true, "nothing")).doesNotThrowAnyException();
    }

    @Test
    void aMissingPrerequisiteFailsUnderCiAndSkipsElsewhere() {
        // Both branches are checked where they apply: CI runs see the failure, developer runs the skip.
        Class<? extends Throwable> expected = Prerequisite.isCi() ? AssertionFailedError.class : TestAbortedException.class;
        assertThatThrownBy(() -> Prerequisite.require(false, "a unicorn: the test rides it"))
                .isExactlyInstanceOf(expected)
                .hasMessageContaining("a unicorn: the test rides it")
                .hasMessageContaining("CI=true");
    }
}

package dev.golemsandbox.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTimeTest {

    @Test
    void addsUserAndSystemTicksEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (qemu (x) 86) S 1 4242 4242 0 -1 4194560 2631 0 0 0 250 75 0 0 20 0 3 0 12345 0 0";
        assertThat(ProcessCpuTime.parse(stat)).hasValue(3.25);
    }

    @Test
    void aGoneProcessHasNoCpuTime() {
        assertThat(ProcessCpuTime.seconds(Long.MAX_VALUE)).isEmpty();
        assertThat(ProcessCpuTime.parse("garbage")).isEmpty();
    }

    @Test
    void thisJvmHasUsedSomeCpu() {
        assertThat(ProcessCpuTime.seconds(ProcessHandle.current().pid())).isPresent();
    }
}

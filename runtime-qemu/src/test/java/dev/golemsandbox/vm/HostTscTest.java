package dev.golemsandbox.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The TSC rate a TCG guest is told: a wrong one makes the guest's clock run fast or slow. */
class HostTscTest {

    @Test
    void theRateIsTheTscsEvenWhenTheCpuClockIsScaledDown() {
        List<String> cpuinfo = List.of(
                "processor\t: 0",
                "model name\t: Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz",
                "cpu MHz\t\t: 700.031",
                "flags\t\t: fpu vme tsc msr constant_tsc nonstop_tsc tsc_known_freq",
                "bogomips\t: 3999.93",
                "",
                "processor\t: 1",
                "cpu MHz\t\t: 3400.000",
                "bogomips\t: 3999.93");

        assertThat(HostTsc.kilohertz(cpuinfo)).hasValue(1_999_965);
    }

    @Test
    void aTscWithoutAConstantRateIsNotPassedOn() {
        List<String> cpuinfo = List.of("cpu MHz\t\t: 2000.000", "flags\t\t: fpu tsc msr", "bogomips\t: 4000.00");

        assertThat(HostTsc.kilohertz(cpuinfo)).isEqualTo(OptionalLong.empty());
    }

    @Test
    void hostsWithoutAnX86TscPassNothing() {
        List<String> arm64 = List.of("processor\t: 0", "BogoMIPS\t: 48.00", "Features\t: fp asimd evtstrm aes pmull");

        assertThat(HostTsc.kilohertz(arm64)).isEqualTo(OptionalLong.empty());
    }
}

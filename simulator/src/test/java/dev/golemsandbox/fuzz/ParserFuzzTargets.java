package dev.golemsandbox.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.golemsandbox.activity.exescript.ExeScriptParser;
import dev.golemsandbox.activity.exescript.InvalidExeScriptException;
import dev.golemsandbox.market.constraint.Constraint;
import dev.golemsandbox.market.constraint.ConstraintParser;
import dev.golemsandbox.market.constraint.ConstraintSyntaxException;
import dev.golemsandbox.market.constraint.PropertySet;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Coverage-guided fuzz targets for the parsers of caller input: anything a requestor sends must
 * either parse or be refused with the parser's own exception (which becomes a 400), never with
 * another exception (a 500) or a stack overflow. A plain test run replays the seeds and any
 * regression inputs; {@code JAZZER_FUZZ=1} fuzzes each target for its budget
 * ({@code -Djazzer.max_duration} overrides it).
 */
class ParserFuzzTargets {

    private final ExeScriptParser exeScripts = new ExeScriptParser();

    @FuzzTest(maxDuration = "60s")
    void exeScriptParserRefusesOrParses(byte[] input) {
        try {
            exeScripts.parse(new String(input, StandardCharsets.UTF_8));
        } catch (InvalidExeScriptException refused) {
            // The requestor's mistake, reported as a 400 with the parser's message.
        }
    }

    @FuzzTest(maxDuration = "60s")
    void constraintParserRefusesOrParsesAndMatches(byte[] input) {
        Constraint constraint;
        try {
            constraint = ConstraintParser.parse(new String(input, StandardCharsets.UTF_8));
        } catch (ConstraintSyntaxException refused) {
            return;
        }
        constraint.evaluate(PropertySet.of(Map.of("golem.inf.mem.gib", 8, "golem.runtime.name", "vm",
                "golem.runtime.capabilities", java.util.List.of("vpn", "inet"), "golem.com.usage.vector", java.util.List.of())));
        constraint.toString();
    }
}

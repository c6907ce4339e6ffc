package dev.golemsandbox.market.constraint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConstraintParserTest {

    /** What golem-js 3.6 sends with its default demand and the sandbox's payment decorations. */
    static final String GOLEM_JS_DEFAULT = "(&(golem.com.pricing.model=linear)\n"
            + "\t(golem.node.debug.subnet=public)\n"
            + "\t(golem.runtime.name=vm)\n"
            + "\t(golem.inf.mem.gib>=0.5)\n"
            + "\t(golem.inf.storage.gib>=2)\n"
            + "\t(golem.inf.cpu.cores>=1)\n"
            + "\t(golem.inf.cpu.threads>=1)\n"
            + "\t(golem.com.payment.platform.erc20-holesky-tglm.address=*)\n"
            + "\t(golem.com.payment.protocol.version>1))";

    @Test
    void parsesTheDefaultDemandOfGolemJs() throws Exception {
        Constraint c = ConstraintParser.parse(GOLEM_JS_DEFAULT);

        assertThat(c).isInstanceOf(Constraint.All.class);
        List<Constraint> terms = ((Constraint.All) c).terms();
        assertThat(terms).hasSize(9);
        assertThat(terms.get(0)).isEqualTo(new Constraint.Compare("golem.com.pricing.model", Constraint.Operator.EQ, "linear"));
        assertThat(terms.get(3)).isEqualTo(new Constraint.Compare("golem.inf.mem.gib", Constraint.Operator.GE, "0.5"));
        assertThat(terms.get(7)).isEqualTo(new Constraint.Present("golem.com.payment.platform.erc20-holesky-tglm.address"));
        assertThat(terms.get(8)).isEqualTo(new Constraint.Compare("golem.com.payment.protocol.version", Constraint.Operator.GT, "1"));
    }

    @Test
    void aSingleClauseNeedsNoAnd() throws Exception {
        assertThat(ConstraintParser.parse("(golem.runtime.name=vm)"))
                .isEqualTo(new Constraint.Compare("golem.runtime.name", Constraint.Operator.EQ, "vm"));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "(a=1) => (a=1)",
            "(a<>1) => (a<>1)",
            "(a<1) => (a<1)",
            "(a<=1) => (a<=1)",
            "(a>1) => (a>1)",
            "(a>=1) => (a>=1)",
            "(a=*) => (a=*)",
            "(a=x*y) => (a=x*y)",
            "(a=[1,2]) => (a=[1,2])",
            "(!(a=1)) => (!(a=1))",
            "(|(a=1)(b=2)) => (|(a=1)(b=2))",
            "(&(a=1)(|(b=2)(!(c=*)))) => (&(a=1)(|(b=2)(!(c=*))))",
            "( & ( a=1 ) ( b=2 ) ) => (&(a=1 )(b=2 ))",
            "(&) => (&)",
            "(|) => (|)",
            "() => (&)",
    })
    void printsWhatItParsed(String text, String canonical) throws Exception {
        assertThat(ConstraintParser.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\t"})
    void blankTextIsNoConstraint(String text) throws Exception {
        assertThat(ConstraintParser.parse(text)).isEqualTo(new Constraint.All(List.of()));
    }

    @Test
    void newlinesAndTabsBetweenClausesAndAroundOperatorsAreAllowed() throws Exception {
        Constraint c = ConstraintParser.parse("\n(&\n\t(a=1)\n\t(|\n\t\t(b=2)\n\t\t(c=3)\n\t)\n)\n");
        assertThat(c).hasToString("(&(a=1)(|(b=2)(c=3)))");
    }

    @Test
    void presenceAllowsTrailingWhitespaceAfterTheStar() throws Exception {
        assertThat(ConstraintParser.parse("(a=* )")).isEqualTo(new Constraint.Present("a"));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "a=1 => expected '(' but found 'a' at offset 0",
            "(a=1 => missing ')' after the value of 'a'",
            "(&(a=1)(b=2) => unexpected end of input: missing ')' at offset 12",
            "(a=1)(b=2) => unexpected text after the end of the constraint at offset 5",
            "(=1) => expected a property name at offset 1",
            "(a 1=2) => property name 'a 1' contains whitespace",
            "(a) => expected a comparison operator (=, <>, <, <=, >, >=) after 'a' at offset 2",
            "(a~=1) => the approximate operator '~=' is not supported",
            "(!(a=1)(b=2)) => expected ')' but found '('",
            "(&(a=1)x) => expected '(' but found 'x'",
    })
    void rejectsMalformedTextSayingWhereAndWhy(String text, String expected) {
        assertThatThrownBy(() -> ConstraintParser.parse(text))
                .isInstanceOf(ConstraintSyntaxException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void theMessageShowsTheTextBeforeTheProblem() {
        assertThatThrownBy(() -> ConstraintParser.parse("(&(golem.runtime.name=vm)(golem.inf.mem.gib>=0.5)"))
                .hasMessageContaining("missing ')' at offset 49")
                .hasMessageEndingWith(": ...runtime.name=vm)(golem.inf.mem.gib>=0.5) <-- here");
    }

    @Test
    void deepNestingIsRefusedInsteadOfOverflowingTheStack() {
        String deep = "(!".repeat(5000) + "(a=1)" + ")".repeat(5000);
        assertThatThrownBy(() -> ConstraintParser.parse(deep))
                .isInstanceOf(ConstraintSyntaxException.class)
                .hasMessageContaining("nested deeper than 128 levels");
    }
}

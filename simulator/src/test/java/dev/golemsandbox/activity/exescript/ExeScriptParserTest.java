package dev.golemsandbox.activity.exescript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExeScriptParserTest {

    private final ExeScriptParser parser = new ExeScriptParser();

    private ExeCommand only(String json) {
        ParsedScript script = parser.parse("[" + json + "]");
        assertThat(script.size()).isEqualTo(1);
        return script.command(0);
    }

    private void refused(String script, String message) {
        assertThatThrownBy(() -> parser.parse(script))
                .isInstanceOf(InvalidExeScriptException.class)
                .hasMessage(message);
    }

    /** Found by the fuzzer: a number exact decimals cannot hold made the parser throw NumberFormatException. */
    @Test
    void aNumberTooLargeToRepresentIsInvalidJsonNotACrash() {
        assertThatThrownBy(() -> parser.parse("[{\"run\":{\"entry_point\":\"/bin/x\",\"args\":[8888e8888888888888888888888888888888888888]}}]"))
                .isInstanceOf(InvalidExeScriptException.class).hasMessageContaining("ExeScript is not valid JSON")
                .hasMessageContaining("a number cannot be represented");
    }

    @Test
    void golemJsFirstBatchIsDeployThenStart() {
        ParsedScript script = parser.parse("[{\"deploy\":{}},{\"start\":{}}]");

        assertThat(script.command(0)).isEqualTo(new ExeCommand.Deploy(List.of()));
        assertThat(script.command(1)).isEqualTo(new ExeCommand.Start(List.of()));
        assertThat(script.steps().get(0).json().toString()).isEqualTo("{\"deploy\":{}}");
    }

    @Test
    void deployReadsVolumesAsListOrMapAndNetworkIds() {
        assertThat(only("{\"deploy\":{\"volumes\":[\"/golem/work\"]}}"))
                .isEqualTo(new ExeCommand.Deploy(List.of("/golem/work")));
        assertThat(only("{\"deploy\":{\"volumes\":{\"/data\":{\"storage\":{\"size\":\"10g\"}}}}}"))
                .isEqualTo(new ExeCommand.Deploy(List.of("/data")));
        assertThat(only("{\"deploy\":{\"net\":[{\"id\":\"n1\",\"ip\":\"10.0.0.0\",\"mask\":\"255.255.0.0\",\"gateway\":\"10.0.0.1\","
                + "\"nodes\":{\"10.0.0.1\":\"0xr\",\"10.0.0.2\":\"0xp\"},\"nodeIp\":\"10.0.0.2\"}],\"hosts\":{\"master\":\"10.0.0.1\"}}}"))
                .isEqualTo(new ExeCommand.Deploy(List.of(), List.of(new ExeCommand.Deploy.Network("n1", "10.0.0.0", "255.255.0.0",
                        "10.0.0.1", "10.0.0.2", Map.of("10.0.0.1", "0xr", "10.0.0.2", "0xp"))), Map.of("10.0.0.1", "master")));
        assertThatThrownBy(() -> only("{\"deploy\":{\"net\":[{\"id\":\"n1\",\"ip\":\"10.0.0.0\"}]}}"))
                .hasMessageContaining("every entry of \"net\" needs a string \"nodeIp\"");
    }

    @Test
    void startMayCarryArgs() {
        assertThat(only("{\"start\":{\"args\":[\"a\"]}}")).isEqualTo(new ExeCommand.Start(List.of("a")));
    }

    @Test
    void runAsGolemJsSendsIt() {
        ExeCommand run = only("{\"run\":{\"entry_point\":\"/bin/sh\",\"args\":[\"-c\",\"echo hi\"],\"env\":{\"A\":\"1\"},"
                + "\"capture\":{\"stdout\":{\"atEnd\":{\"format\":\"string\"}},\"stderr\":{\"atEnd\":{\"format\":\"string\"}}}}}");

        assertThat(run).isEqualTo(new ExeCommand.Run("/bin/sh", List.of("-c", "echo hi"), Map.of("A", "1"),
                Capture.atEnd(false), Capture.atEnd(false)));
    }

    @Test
    void runWithNullArgsEnvAndNoCaptureDropsOutput() {
        ExeCommand run = only("{\"run\":{\"entry_point\":\"/bin/true\",\"args\":null,\"env\":null}}");

        assertThat(run).isEqualTo(new ExeCommand.Run("/bin/true", List.of(), Map.of(), Capture.DISCARD, Capture.DISCARD));
    }

    @Test
    void captureModesAndParts() {
        ExeCommand.Run run = (ExeCommand.Run) only("{\"run\":{\"entry_point\":\"/x\",\"capture\":{"
                + "\"stdout\":{\"stream\":{\"limit\":10,\"format\":\"binary\"}},"
                + "\"stderr\":{\"atEnd\":{\"headTail\":5,\"format\":\"str\"}}}}}");
        assertThat(run.stdout()).isEqualTo(new Capture(true, true, 10, 0));
        assertThat(run.stderr()).isEqualTo(new Capture(false, false, 3, 2));

        ExeCommand.Run nestedPart = (ExeCommand.Run) only("{\"run\":{\"entry_point\":\"/x\",\"capture\":{"
                + "\"stdout\":{\"atEnd\":{\"part\":{\"tail\":7}}},\"stderr\":{\"stream\":{}}}}}");
        assertThat(nestedPart.stdout()).isEqualTo(Capture.tail(7, false));
        assertThat(nestedPart.stderr()).isEqualTo(Capture.stream(null, false));

        ExeCommand.Run head = (ExeCommand.Run) only("{\"run\":{\"entry_point\":\"/x\",\"capture\":{"
                + "\"stdout\":{\"atEnd\":{\"head\":4,\"format\":\"bin\"}}}}}");
        assertThat(head.stdout()).isEqualTo(Capture.head(4, true));
        assertThat(head.stderr()).isEqualTo(Capture.DISCARD);
    }

    @Test
    void transferWithEveryOptionalField() {
        ExeCommand transfer = only("{\"transfer\":{\"from\":\"container:/golem/output\",\"to\":\"http://127.0.0.1/up\","
                + "\"format\":\"tar.gz\",\"depth\":2,\"fileset\":[\"*.txt\",{\"desc\":\"d\",\"includes\":[\"out/*\"],"
                + "\"excludes\":\"*.tmp\"}],\"progress\":{\"updateStep\":1}}}");

        assertThat(transfer).isEqualTo(new ExeCommand.Transfer("container:/golem/output", "http://127.0.0.1/up",
                Optional.of("tar.gz"), Optional.of(2), List.of(
                        new ExeCommand.FileSet(List.of("*.txt"), List.of()),
                        new ExeCommand.FileSet(List.of("out/*"), List.of("*.tmp")))));
    }

    @Test
    void transferAsGolemJsSendsIt() {
        ExeCommand transfer = only("{\"transfer\":{\"from\":\"gftp://0xabc/9f2e\",\"to\":\"container:/golem/input/x\"}}");

        assertThat(transfer).isEqualTo(new ExeCommand.Transfer("gftp://0xabc/9f2e", "container:/golem/input/x",
                Optional.empty(), Optional.empty(), List.of()));
    }

    @Test
    void terminate() {
        assertThat(only("{\"terminate\":{}}")).isEqualTo(new ExeCommand.Terminate());
    }

    @Test
    void scriptLevelErrors() {
        refused("[{\"deploy\":", "ExeScript is not valid JSON (line 1, column 12): Unexpected end-of-input"
                + " within/between Object entries");
        refused("{\"deploy\":{}}", "ExeScript must be a JSON array of commands, e.g. [{\"deploy\":{}},{\"start\":{}}]");
        refused("[]", "ExeScript has no commands");
        refused("[\"deploy\"]", "ExeScript command 0 must be an object with one key naming the command,"
                + " e.g. {\"run\":{...}}; got \"deploy\"");
        refused("[{\"deploy\":{},\"start\":{}}]", "ExeScript command 0 must be an object with one key naming the"
                + " command, e.g. {\"run\":{...}}; got {\"deploy\":{},\"start\":{}}");
        refused("[{\"start\":{}},{\"exec\":{}}]", "ExeScript command 1: unknown command \"exec\"; the commands are"
                + " deploy, start, run, transfer, terminate, sign");
        refused("[{\"start\":[]}]", "ExeScript command 0 (start): the body must be an object, e.g. {\"start\":{}}; got []");
    }

    @Test
    void signIsNotSupported() {
        refused("[{\"sign\":{}}]", "ExeScript command 0 (sign): is not supported: the sandbox's providers have no"
                + " signing keys (sign only works on providers that sign their results)");
    }

    @Test
    void deployErrors() {
        refused("[{\"deploy\":{\"volumes\":\"/x\"}}]",
                "ExeScript command 0 (deploy): \"volumes\" must be an array of paths or an object keyed by path");
        refused("[{\"deploy\":{\"volumes\":[1]}}]",
                "ExeScript command 0 (deploy): \"volumes\" must be an array of strings; element 1 is not");
        refused("[{\"deploy\":{\"net\":{}}}]", "ExeScript command 0 (deploy): \"net\" must be an array of networks,"
                + " e.g. [{\"id\":..,\"ip\":..,\"mask\":..,\"nodeIp\":..}]");
        refused("[{\"deploy\":{\"net\":[{\"ip\":\"10.0.0.1\"}]}}]",
                "ExeScript command 0 (deploy): every entry of \"net\" needs a string \"id\"");
        refused("[{\"deploy\":{\"net\":[\"n1\"]}}]",
                "ExeScript command 0 (deploy): every entry of \"net\" must be an object with \"id\", \"ip\" and \"nodeIp\"");
        refused("[{\"deploy\":{\"hosts\":{\"db\\nx\":\"10.0.0.2\"}}}]",
                "ExeScript command 0 (deploy): \"hosts\" maps host names to IPv4 addresses, e.g. {\"db\":\"192.168.0.2\"};"
                + " got \"db\\nx\": \"10.0.0.2\"");
        refused("[{\"deploy\":{\"hosts\":{\"db\":\"10.0.0.2 evil\"}}}]",
                "ExeScript command 0 (deploy): \"hosts\" maps host names to IPv4 addresses, e.g. {\"db\":\"192.168.0.2\"};"
                + " got \"db\": \"10.0.0.2 evil\"");
        refused("[{\"deploy\":{\"hosts\":{\"a\":1}}}]",
                "ExeScript command 0 (deploy): \"hosts.a\" must be a string; got 1");
    }

    @Test
    void startErrors() {
        refused("[{\"start\":{\"args\":\"x\"}}]",
                "ExeScript command 0 (start): \"args\" must be an array of strings; got \"x\"");
    }

    @Test
    void runErrors() {
        refused("[{\"run\":{}}]", "ExeScript command 0 (run): \"entry_point\" is required: the absolute path of the"
                + " program in the image, e.g. \"/bin/sh\"");
        refused("[{\"run\":{\"entry_point\":\"\"}}]", "ExeScript command 0 (run): \"entry_point\" must be a non-empty"
                + " string: the absolute path of the program in the image, e.g. \"/bin/sh\"; got \"\"");
        refused("[{\"run\":{\"entry_point\":\"/x\",\"args\":[\"a\",2]}}]",
                "ExeScript command 0 (run): \"args\" must be an array of strings; element 2 is not");
        refused("[{\"run\":{\"entry_point\":\"/x\",\"env\":[]}}]", "ExeScript command 0 (run): \"env\" must be an"
                + " object of strings, e.g. {\"NAME\":\"value\"}; got []");
        refused("[{\"run\":{\"entry_point\":\"/x\",\"env\":{\"A\":true}}}]",
                "ExeScript command 0 (run): \"env.A\" must be a string; got true");
        refused("[{\"run\":{\"entry_point\":\"/x\",\"capture\":\"all\"}}]",
                "ExeScript command 0 (run): \"capture\" must be an object with \"stdout\" and/or \"stderr\"");
    }

    @Test
    void captureErrors() {
        String prefix = "[{\"run\":{\"entry_point\":\"/x\",\"capture\":{\"stdout\":";
        refused(prefix + "{}}}}]", "ExeScript command 0 (run): \"capture.stdout\" must be {\"atEnd\":{...}} or"
                + " {\"stream\":{...}}");
        refused(prefix + "{\"atEnd\":{},\"stream\":{}}}}}]", "ExeScript command 0 (run): \"capture.stdout\" must be"
                + " {\"atEnd\":{...}} or {\"stream\":{...}}");
        refused(prefix + "{\"atEnd\":3}}}}]", "ExeScript command 0 (run): \"capture.stdout\".atEnd must be an object");
        refused(prefix + "{\"atEnd\":{\"format\":\"hex\"}}}}}]", "ExeScript command 0 (run): \"capture.stdout\".atEnd"
                + ".format must be \"string\" or \"binary\", got \"hex\"");
        refused(prefix + "{\"stream\":{\"limit\":-1}}}}}]", "ExeScript command 0 (run): \"capture.stdout\".stream"
                + ".limit must be a whole number of bytes, 0 or more; got -1");
        refused(prefix + "{\"atEnd\":{\"head\":1.5}}}}}]", "ExeScript command 0 (run): \"capture.stdout\".atEnd.head"
                + " must be a whole number of bytes, 0 or more; got 1.5");
        refused(prefix + "{\"atEnd\":{\"head\":1,\"tail\":2}}}}}]", "ExeScript command 0 (run): \"capture.stdout\""
                + ".atEnd may name only one of \"head\", \"tail\" and \"headTail\"");
        refused(prefix + "{\"atEnd\":{\"part\":5}}}}}]", "ExeScript command 0 (run): \"capture.stdout\".atEnd.part"
                + " must be an object such as {\"head\":1024}");
    }

    @Test
    void transferErrors() {
        refused("[{\"transfer\":{\"to\":\"container:/a\"}}]", "ExeScript command 0 (transfer): \"from\" is required:"
                + " where to copy from, e.g. \"gftp://<node>/<id>\"");
        refused("[{\"transfer\":{\"from\":\"/a\"}}]", "ExeScript command 0 (transfer): \"to\" is required: where to"
                + " copy to, e.g. \"container:/golem/input/data\"");
        refused("[{\"transfer\":{\"from\":\"ftp://h/x\",\"to\":\"/a\"}}]", "ExeScript command 0 (transfer): \"from\""
                + " has the unsupported scheme \"ftp\"; use container:<path>, gftp://<node>/<id>, http:// or https://");
        refused("[{\"transfer\":{\"from\":\"/a\",\"to\":\"container:relative\"}}]", "ExeScript command 0 (transfer):"
                + " \"to\" is not an absolute path in the container: \"relative\"");
        refused("[{\"transfer\":{\"from\":\"gftp://node\",\"to\":\"/a\"}}]", "ExeScript command 0 (transfer):"
                + " \"from\" is not a gftp URL of the form gftp://<node>/<id>: \"gftp://node\"");
        refused("[{\"transfer\":{\"from\":\"http:///x\",\"to\":\"/a\"}}]", "ExeScript command 0 (transfer):"
                + " \"from\" has no host: \"http:///x\"");
        refused("[{\"transfer\":{\"from\":\"http://a b\",\"to\":\"/a\"}}]", "ExeScript command 0 (transfer):"
                + " \"from\" is not a valid URL: Illegal character in authority at index 7: http://a b");
        refused("[{\"transfer\":{\"from\":\"/a\",\"to\":\"/b\",\"format\":\"rar\"}}]", "ExeScript command 0"
                + " (transfer): \"format\" must be one of tar, tar.gz, tgz, tar.bz2, tar.xz, zip, zip.<0-9>; got \"rar\"");
        refused("[{\"transfer\":{\"from\":\"/a\",\"to\":\"/b\",\"format\":7}}]",
                "ExeScript command 0 (transfer): \"format\" must be a string; got 7");
        refused("[{\"transfer\":{\"from\":\"/a\",\"to\":\"/b\",\"depth\":-2}}]",
                "ExeScript command 0 (transfer): \"depth\" must be a whole number, 0 or more; got -2");
        refused("[{\"transfer\":{\"from\":\"/a\",\"to\":\"/b\",\"fileset\":3}}]", "ExeScript command 0 (transfer):"
                + " \"fileset\" entries must be glob patterns or {\"includes\":[..],\"excludes\":[..]}");
        refused("[{\"transfer\":{\"from\":\"/a\",\"to\":\"/b\",\"fileset\":{\"includes\":{}}}}]", "ExeScript command 0"
                + " (transfer): \"fileset\" includes and excludes must be a glob pattern or an array of them");
        refused("[{\"transfer\":{\"from\":\"/a\",\"to\":\"/b\",\"fileset\":{\"excludes\":[1]}}}]",
                "ExeScript command 0 (transfer): \"fileset\" patterns must be strings; got 1");
    }

    @ParameterizedTest
    @CsvSource({
            "/golem/input/x, CONTAINER, /golem/input/x",
            "container:/golem/input/x, CONTAINER, /golem/input/x",
            "gftp://0xabc/f00d, GFTP, gftp://0xabc/f00d",
            "HTTP://127.0.0.1:8000/a, HTTP, HTTP://127.0.0.1:8000/a",
            "https://localhost/a, HTTP, https://localhost/a",
    })
    void transferEnds(String text, TransferUrl.Scheme scheme, String target) {
        TransferUrl url = TransferUrl.parse(text);

        assertThat(url.scheme()).isEqualTo(scheme);
        assertThat(url.target()).isEqualTo(target);
    }

    @Test
    void gftpIdNamesTheRequestorsService() {
        assertThat(TransferUrl.parse("gftp://0xabc/3a7c-11").gftpId()).isEqualTo("3a7c-11");
    }
}

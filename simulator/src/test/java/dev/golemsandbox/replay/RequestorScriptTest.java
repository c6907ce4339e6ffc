package dev.golemsandbox.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestorScriptTest {

    @TempDir
    Path dir;

    private static final String PERSISTENCE = """
            {
              "format": "golem-sandbox-script/1",
              "description": "task 1 writes a file, task 2 reads it",
              "image": {"tag": "sandbox/busybox:latest"},
              "masks": [{"stream": "stdout", "pattern": "\\\\d{4}-\\\\d\\\\d-\\\\d\\\\d", "replace": "<date>"}],
              "activities": [
                {"batches": [
                  {"exeScript": [{"deploy": {}}, {"start": {}}]},
                  {"exeScript": [{"run": {"entry_point": "/bin/sh", "args": ["-c", "echo hi > /golem/work/a"]}}],
                   "expect": [{"command": 0, "exitCode": 0}]},
                  {"exeScript": [{"run": {"entry_point": "/bin/cat", "args": ["/golem/work/a"]}}],
                   "expect": [{"command": 0, "stdout": {"equals": "hi\\n"}},
                              {"file": "/golem/work/a", "exists": true}]}
                ]},
                {"batches": [
                  {"exeScript": [{"deploy": {}}, {"start": {}}],
                   "expect": [{"file": "/golem/work/a", "exists": false}]}
                ]}
              ]
            }
            """;

    @Test
    void readsAHandWrittenScriptWithEveryKindOfExpectation() throws Exception {
        RequestorScript script = RequestorScript.read(write(PERSISTENCE));

        assertThat(script.image().tag()).isEqualTo("sandbox/busybox:latest");
        assertThat(script.activities()).hasSize(2);
        assertThat(script.batchCount()).isEqualTo(4);
        assertThat(script.masks().get(0).apply("stdout", "on 2026-11-26 at noon")).isEqualTo("on <date> at noon");
        assertThat(script.masks().get(0).apply("stderr", "on 2026-11-26")).isEqualTo("on 2026-11-26");
        var read = script.activities().get(0).batches().get(2).expect();
        assertThat(read.get(0)).isEqualTo(new Expectation.OfCommand(0, null, null,
                new TextMatcher(TextMatcher.Kind.EQUALS, "hi\n"), null));
        assertThat(read.get(1)).isEqualTo(new Expectation.OfFile("/golem/work/a", true, null));
    }

    @Test
    void writingAndReadingBackKeepsEverything() throws Exception {
        RequestorScript script = RequestorScript.read(write(PERSISTENCE));
        Path copy = dir.resolve("copy.json");
        Files.writeString(copy, RequestorScript.JSON.writeValueAsString(script.toJson()));

        RequestorScript again = RequestorScript.read(copy);

        assertThat(again.toJson()).isEqualTo(script.toJson());
    }

    @Test
    void describesCommandsTheWayTheReportShowsThem() throws Exception {
        var commands = RequestorScript.read(write(PERSISTENCE)).activities().get(0).batches();
        assertThat(ScriptReplay.describe(commands.get(1).exeScript().get(0)))
                .isEqualTo("run /bin/sh -c \"echo hi > /golem/work/a\"");
        assertThat(ScriptReplay.describe(commands.get(0).exeScript().get(1))).isEqualTo("start");
    }

    @Test
    void namesTheJsonPathOfEachMistake() throws IOException {
        assertProblem("{}", "at $.format: must be \"golem-sandbox-script/1\"");
        assertProblem("""
                {"format": "golem-sandbox-script/1", "image": {}, "activities": []}""", "at $.image: needs a \"tag\" or a \"hash\"");
        assertProblem("""
                {"format": "golem-sandbox-script/1", "image": {"tag": "a:b"}, "activities": []}""",
                "at $.activities: needs at least one activity");
        assertProblem("""
                {"format": "golem-sandbox-script/1", "image": {"tag": "a:b"},
                 "activities": [{"batches": [{"exeScript": [{"run": {}}], "expect": [{"command": 3}]}]}]}""",
                "at $.activities[0].batches[0].expect[0].command: the batch has commands 0..0, not 3");
        assertProblem("""
                {"format": "golem-sandbox-script/1", "image": {"tag": "a:b"},
                 "activities": [{"batches": [{"exeScript": [{"run": {}}], "expect": [{"command": 0, "stdout": {"like": "x"}}]}]}]}""",
                "at $.activities[0].batches[0].expect[0].stdout: unknown matcher \"like\"");
        assertProblem("""
                {"format": "golem-sandbox-script/1", "image": {"tag": "a:b"},
                 "activities": [{"batches": [{"exeScript": [{"run": {}, "start": {}}]}]}]}""",
                "at $.activities[0].batches[0].exeScript[0]: a command is an object with one key");
        assertProblem("not json", "not readable JSON");
    }

    private void assertProblem(String json, String expected) throws IOException {
        Path file = write(json);
        assertThatThrownBy(() -> RequestorScript.read(file))
                .isInstanceOf(ScriptFormatException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(expected);
    }

    private Path write(String json) throws IOException {
        Path file = Files.createTempFile(dir, "script", ".json");
        Files.writeString(file, json);
        return file;
    }
}

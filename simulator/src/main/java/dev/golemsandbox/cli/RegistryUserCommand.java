package dev.golemsandbox.cli;

import dev.golemsandbox.http.UserError;
import dev.golemsandbox.registry.RegistryUsers;
import dev.golemsandbox.store.ImageStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code registry user add NAME} (prints the new user's token, once) and {@code registry user ls}.
 * Users own the tags under their name; pushes by hash need no user.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Registry users: 'add NAME' prints the token that pushes tags NAME/...; 'ls' lists the users.")
final class RegistryUserCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ACTION", description = "add or ls")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The user to add (the owner part of owner/name:tag).")
    String name;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RegistryUsers users = RegistryUsers.in(ImageStore.open(common.home()).directory());
        PrintWriter out = spec.commandLine().getOut();
        switch (action) {
            case "add" -> {
                if (name == null) {
                    throw new UserError("registry user add needs a NAME");
                }
                String token;
                try {
                    token = users.add(name);
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
                out.println("user:  " + name);
                out.println("token: " + token);
                out.println("push tags " + name + "/NAME:TAG with: golem-sandbox image push FILE -t " + name
                        + "/NAME:TAG --registry URL --token " + token);
                out.println("(the token is shown only now)");
            }
            case "ls" -> {
                List<String> names = users.names();
                names.forEach(out::println);
            }
            default -> throw new UserError("registry user takes add NAME or ls, not '" + action + "'");
        }
        out.flush();
        return 0;
    }
}

package dev.golemsandbox.testing;

import dev.golemsandbox.http.ApiErrorMapping;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.net.URI;
import java.util.function.Consumer;

/**
 * A real Javalin server on a free loopback port with the routes under test and the sandbox's own
 * error mapping ({@code {"message": ...}} with the exception's status).
 */
public final class TestServer implements AutoCloseable {

    private final Javalin app;

    public TestServer(Consumer<JavalinConfig> routes) {
        app = Javalin.create(config -> {
            routes.accept(config);
            ApiErrorMapping.install(config.routes);
        }).start("127.0.0.1", 0);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}

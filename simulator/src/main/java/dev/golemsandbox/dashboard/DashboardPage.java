package dev.golemsandbox.dashboard;

import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.ApiException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The live dashboard at {@code /_sandbox/dashboard/}: three static files, served without the app
 * key because they hold no data. The page reads everything it shows from the key-protected
 * {@code /_sandbox} and yagna endpoints with the key the user gives it (in the URL's fragment,
 * which the browser never sends). Only the files named here can be served.
 */
public final class DashboardPage implements ApiComponent {

    public static final String PATH = "/_sandbox/dashboard";

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");

    /**
     * Scripts and styles only from the sandbox itself, no inline script, no framing by another
     * page, and data only from the sandbox: output a guest printed can never run as code.
     */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Override
    public String name() {
        return "dashboard";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        // Javalin treats PATH and PATH + "/" as one route; the page names its files by absolute path.
        config.routes.get(PATH, ctx -> serve(ctx, "index.html"));
        config.routes.get(PATH + "/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
    }

    @Override
    public List<String> publicPathPrefixes() {
        return List.of(PATH);
    }

    private static void serve(Context ctx, String file) {
        String type = FILES.get(file);
        if (type == null) {
            throw new ApiException.NotFound("the dashboard has no file " + file);
        }
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(type).result(read(file));
    }

    private static byte[] read(String file) {
        try (InputStream in = DashboardPage.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + file + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

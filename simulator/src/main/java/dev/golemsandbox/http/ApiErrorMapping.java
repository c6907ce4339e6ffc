package dev.golemsandbox.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become answers, all in yagna's {@code {"message": ...}} shape:
 * an {@link ApiException} gets its own status; Javalin's own refusals (no such endpoint, 405) keep
 * theirs; a JSON parse error escaping a handler is a 400; anything else is a bug of the sandbox: a
 * 500 that says so, and a log line with the stack trace.
 */
public final class ApiErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorMapping.class);

    private ApiErrorMapping() {
    }

    public static void install(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> Json.write(ctx, e.status(), new ErrorMessage(e.getMessage())));
        routes.exception(HttpResponseException.class, (e, ctx) -> Json.write(ctx, e.getStatus(), new ErrorMessage(e.getMessage())));
        routes.exception(JsonProcessingException.class,
                (e, ctx) -> Json.write(ctx, 400, new ErrorMessage("malformed JSON body: " + e.getOriginalMessage())));
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure answering {} {}", ctx.method(), ctx.path(), e);
            Json.write(ctx, 500, new ErrorMessage("internal error of golem-sandbox (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); the sandbox log has the details"));
        });
    }
}

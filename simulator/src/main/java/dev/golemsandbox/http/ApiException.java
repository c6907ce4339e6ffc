package dev.golemsandbox.http;

/**
 * A request the API refuses, with the status and the one-line reason sent back as yagna's
 * {@code {"message": ...}} body. Throw one of the subclasses from any handler (or from a future a
 * handler returns); {@link ApiErrorMapping} turns it into the response, so handlers never write
 * error bodies themselves.
 *
 * <pre>{@code
 * Agreement a = agreements.get(id);
 * if (a == null) throw new ApiException.NotFound("agreement " + id + " not found");
 * }</pre>
 */
public abstract class ApiException extends RuntimeException {

    private final int status;

    protected ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** 400: the request itself is wrong (malformed JSON, a bad parameter, an unparsable constraint). */
    public static final class BadRequest extends ApiException {
        public BadRequest(String message) {
            super(400, message);
        }
    }

    /** 401: no app key, or the wrong one. */
    public static final class Unauthorized extends ApiException {
        public Unauthorized(String message) {
            super(401, message);
        }
    }

    /** 404: no object with that id (or never had one). */
    /** 403: the caller may not do this (a web page from a foreign origin). */
    public static final class Forbidden extends ApiException {
        public Forbidden(String message) {
            super(403, message);
        }
    }

    /** 413: the request body is larger than accepted. */
    public static final class TooLarge extends ApiException {
        public TooLarge(String message) {
            super(413, message);
        }
    }

    /** 421: the request names a host this server does not answer for (DNS rebinding). */
    public static final class MisdirectedRequest extends ApiException {
        public MisdirectedRequest(String message) {
            super(421, message);
        }
    }

    public static final class NotFound extends ApiException {
        public NotFound(String message) {
            super(404, message);
        }
    }

    /** 408: a blocking call ran out of its {@code timeout} before the awaited change happened. */
    public static final class Timeout extends ApiException {
        public Timeout(String message) {
            super(408, message);
        }
    }

    /** 409: the object exists but is in a state where the call is not legal yet (or any more). */
    public static final class Conflict extends ApiException {
        public Conflict(String message) {
            super(409, message);
        }
    }

    /** 410: the object reached a final state that forbids the call for good (terminated, rejected). */
    public static final class Gone extends ApiException {
        public Gone(String message) {
            super(410, message);
        }
    }

    /** 501: a part of the yagna API the sandbox does not simulate. */
    public static final class NotImplemented extends ApiException {
        public NotImplemented(String message) {
            super(501, message);
        }
    }
}

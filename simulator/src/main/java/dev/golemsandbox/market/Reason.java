package dev.golemsandbox.market;

/** yagna's reason object, {@code {"message": "..."}}, as events and terminate/reject bodies carry it. */
public record Reason(String message) {
}

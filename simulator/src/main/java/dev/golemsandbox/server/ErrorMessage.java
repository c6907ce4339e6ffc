package dev.golemsandbox.server;

/** yagna's error body: {@code {"message": "..."}}. */
public record ErrorMessage(String message) {
}

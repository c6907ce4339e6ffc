package dev.golemsandbox.http;

/** yagna's error body: {@code {"message": "..."}}. */
public record ErrorMessage(String message) {
}

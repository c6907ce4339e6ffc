package dev.golemsandbox.market;

/** An open market scan as {@code /_sandbox/market/scans} shows it: its id, constraints, and how long it lives unread. */
public record ScanView(String scanId, String constraints, long timeoutSeconds) {
}

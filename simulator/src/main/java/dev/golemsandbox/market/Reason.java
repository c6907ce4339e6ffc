package dev.golemsandbox.market;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * yagna's reason object as events and terminate/reject bodies carry it: {@code {"message": "..."}},
 * and when a provider broke an agreement also its code, {@code "golem.provider.code": "NoActivity"}
 * (see {@link BreakReason}).
 *
 * @param message what happened, for people
 * @param code    the provider's code for it, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reason(String message, @JsonProperty("golem.provider.code") String code) {

    /** A reason with a message only, as a requestor gives it. */
    public Reason(String message) {
        this(message, null);
    }
}

package dev.golemsandbox.market;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** A proposal as {@code GET .../proposals/{id}} and proposal events show it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProposalView(Map<String, Object> properties, String constraints, String proposalId, String issuerId,
                           String state, String timestamp, String prevProposalId) {
}

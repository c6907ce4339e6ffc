package dev.golemsandbox.sandbox;

import dev.golemsandbox.activity.ActivityAgreement;
import dev.golemsandbox.activity.AgreementSource;
import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.VmRuntime;
import dev.golemsandbox.manifest.AppManifest;
import dev.golemsandbox.manifest.DemandManifest;
import dev.golemsandbox.manifest.OutboundRequest;
import dev.golemsandbox.market.AgreementLookup;
import dev.golemsandbox.market.RentedAgreement;
import dev.golemsandbox.provider.Offer;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The activity API's view of the market: an approved agreement and its provider's runtime. The
 * demand's manifest, which the provider's rules accepted when it made the agreement, gives the
 * image to run (its payload, over {@code golem.srv.comp.task_package}, as the exe-unit reads it)
 * and the outbound access of its VMs, if the offer has {@code inet}.
 */
final class MarketAgreementSource implements AgreementSource {

    private final AgreementLookup market;

    MarketAgreementSource(AgreementLookup market) {
        this.market = market;
    }

    @Override
    public ActivityAgreement approved(String agreementId) {
        RentedAgreement rented = market.approved(agreementId);
        Optional<AppManifest> manifest = DemandManifest.agreed(rented.demandProperties());
        Optional<String> taskPackage = manifest.flatMap(AppManifest::taskPackage).or(() -> Optional.ofNullable(rented.taskPackage()));
        Optional<OutboundGrant> outbound = offersInet(rented) ? manifest.flatMap(AppManifest::outbound).flatMap(MarketAgreementSource::grant)
                : Optional.empty();
        return new ActivityAgreement() {
            @Override
            public String agreementId() {
                return rented.agreementId();
            }

            @Override
            public String providerName() {
                return rented.provider().name();
            }

            @Override
            public String providerId() {
                return rented.provider().nodeId();
            }

            @Override
            public VmRuntime runtime() {
                return rented.provider().runtime();
            }

            @Override
            public Resources resources() {
                return rented.resources();
            }

            @Override
            public Optional<String> taskPackage() {
                return taskPackage;
            }

            @Override
            public Optional<OutboundGrant> outbound() {
                return outbound;
            }

            @Override
            public List<String> usageVector() {
                return rented.usageVector();
            }

            @Override
            public void activityStarted(String activityId) {
                rented.activityStarted(activityId);
            }

            @Override
            public void activityStopped(String activityId) {
                rented.activityStopped(activityId);
            }

            @Override
            public CompletableFuture<String> whenTerminated() {
                return rented.whenTerminated();
            }
        };
    }

    /** What the request allows: every host, or its URLs of its protocols; nothing if no URL is of one. */
    private static Optional<OutboundGrant> grant(OutboundRequest request) {
        if (request.unrestricted()) {
            return Optional.of(new OutboundGrant(true, List.of()));
        }
        List<URI> urls = request.usableUrls();
        return urls.isEmpty() ? Optional.empty() : Optional.of(new OutboundGrant(false, urls));
    }

    private static boolean offersInet(RentedAgreement rented) {
        return rented.provider().offerProperties().get(Offer.RUNTIME_CAPABILITIES) instanceof List<?> capabilities
                && capabilities.contains("inet");
    }
}

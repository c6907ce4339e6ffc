package dev.golemsandbox.sandbox;

import dev.golemsandbox.activity.ActivityAgreement;
import dev.golemsandbox.activity.AgreementSource;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.VmRuntime;
import dev.golemsandbox.market.AgreementLookup;
import dev.golemsandbox.market.RentedAgreement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The activity API's view of the market: an approved agreement and its provider's runtime. */
final class MarketAgreementSource implements AgreementSource {

    private final AgreementLookup market;

    MarketAgreementSource(AgreementLookup market) {
        this.market = market;
    }

    @Override
    public ActivityAgreement approved(String agreementId) {
        RentedAgreement rented = market.approved(agreementId);
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
                return Optional.ofNullable(rented.taskPackage());
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
}

package dev.golemsandbox.payment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.HeldRequest;
import dev.golemsandbox.http.IsoTime;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.JsonBody;
import dev.golemsandbox.http.LongPoll;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The HTTP layer of the payment side: yagna's requestor Payment API under {@code /payment-api/v1}. */
public final class PaymentComponent implements ApiComponent {

    private static final String API = "/payment-api/v1";

    private final Payment payment;

    public PaymentComponent(Payment payment) {
        this.payment = payment;
    }

    @Override
    public String name() {
        return "payment";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        RoutesConfig r = config.routes;
        r.post(API + "/allocations", this::createAllocation);
        r.get(API + "/allocations", ctx -> Json.ok(ctx, payment.allocations()));
        r.get(API + "/allocations/{allocationId}", ctx -> Json.ok(ctx, payment.allocation(ctx.pathParam("allocationId"))));
        r.put(API + "/allocations/{allocationId}", this::amendAllocation);
        r.delete(API + "/allocations/{allocationId}", ctx -> {
            payment.release(ctx.pathParam("allocationId"));
            Json.noContent(ctx);
        });
        r.get(API + "/demandDecorations", ctx -> Json.ok(ctx, payment.decorations(ids(ctx.queryParams("allocationIds")))));

        r.get(API + "/invoices", ctx -> Json.ok(ctx, payment.invoices(after(ctx), maxItems(ctx))));
        r.get(API + "/invoices/{invoiceId}", ctx -> Json.ok(ctx, payment.invoice(ctx.pathParam("invoiceId"))));
        r.post(API + "/invoices/{invoiceId}/accept", ctx -> {
            JsonBody body = JsonBody.of(ctx);
            payment.acceptInvoice(ctx.pathParam("invoiceId"), body.decimal("totalAmountAccepted"), body.string("allocationId"));
            Json.noContent(ctx);
        });
        r.post(API + "/invoices/{invoiceId}/reject", ctx -> {
            JsonBody.ofOptional(ctx);
            payment.rejectInvoice(ctx.pathParam("invoiceId"));
            Json.noContent(ctx);
        });
        r.get(API + "/invoiceEvents", ctx -> {
            CompletableFuture<List<PaymentEvent>> events = payment.invoiceEvents(LongPoll.of(ctx));
            ctx.future(() -> HeldRequest.of(ctx).answer(events, list -> Json.ok(ctx, list)));
        });

        r.get(API + "/debitNotes", ctx -> Json.ok(ctx, payment.debitNotes(after(ctx), maxItems(ctx))));
        r.get(API + "/debitNotes/{debitNoteId}", ctx -> Json.ok(ctx, payment.debitNote(ctx.pathParam("debitNoteId"))));
        r.post(API + "/debitNotes/{debitNoteId}/accept", ctx -> {
            JsonBody body = JsonBody.of(ctx);
            payment.acceptDebitNote(ctx.pathParam("debitNoteId"), body.decimal("totalAmountAccepted"), body.string("allocationId"));
            Json.noContent(ctx);
        });
        r.post(API + "/debitNotes/{debitNoteId}/reject", ctx -> {
            payment.rejectDebitNote(ctx.pathParam("debitNoteId"), rejection(JsonBody.ofOptional(ctx)));
            Json.noContent(ctx);
        });
        r.get(API + "/debitNoteEvents", ctx -> {
            CompletableFuture<List<PaymentEvent>> events = payment.debitNoteEvents(LongPoll.of(ctx));
            ctx.future(() -> HeldRequest.of(ctx).answer(events, list -> Json.ok(ctx, list)));
        });
    }

    private void createAllocation(Context ctx) {
        JsonBody body = JsonBody.of(ctx);
        BigDecimal total = body.decimal("totalAmount");
        String timeout = body.optionalString("timeout");
        boolean makeDeposit = body.node().path("makeDeposit").asBoolean(false);
        Json.created(ctx, payment.createAllocation(total, platform(body.node().get("paymentPlatform")),
                body.optionalString("address"), timeout == null ? null : IsoTime.parse("timeout", timeout), makeDeposit));
    }

    private void amendAllocation(Context ctx) {
        JsonBody body = JsonBody.of(ctx);
        String timeout = body.optionalString("timeout");
        Json.ok(ctx, payment.amend(ctx.pathParam("allocationId"),
                body.has("totalAmount") ? body.decimal("totalAmount") : null,
                timeout == null ? null : IsoTime.parse("timeout", timeout)));
    }

    /** {@code "erc20-holesky-tglm"}, or {@code {"driver","network","token"}} with yagna's defaults; null when absent. */
    private static String platform(JsonNode node) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText().trim();
        }
        if (!node.isObject()) {
            throw new ApiException.BadRequest("paymentPlatform must be a string like erc20-holesky-tglm or an object {driver, network, token}");
        }
        String driver = node.path("driver").asText("erc20");
        String network = node.path("network").asText("holesky");
        boolean mainnet = network.equals("mainnet") || network.equals("polygon");
        String token = node.path("token").asText(mainnet ? "glm" : "tglm");
        return driver + "-" + network + "-" + token;
    }

    /** The optional Rejection body: {@code rejectionReason} (default UnsolicitedService), {@code totalAmountAccepted} (0), {@code message}. */
    private static Rejection rejection(JsonBody body) {
        String reason = body.optionalString("rejectionReason");
        BigDecimal accepted = body.has("totalAmountAccepted") ? body.decimal("totalAmountAccepted") : BigDecimal.ZERO;
        return new Rejection(reason == null ? "UnsolicitedService" : reason, accepted, body.optionalString("message"));
    }

    private static List<String> ids(List<String> params) {
        List<String> ids = new ArrayList<>();
        for (String param : params) {
            for (String id : param.split(",")) {
                if (!id.isBlank()) {
                    ids.add(id.trim());
                }
            }
        }
        return ids;
    }

    private static Instant after(Context ctx) {
        String text = ctx.queryParam("afterTimestamp");
        return text == null || text.isBlank() ? null : IsoTime.parse("afterTimestamp", text);
    }

    private static int maxItems(Context ctx) {
        String text = ctx.queryParam("maxItems");
        if (text == null || text.isBlank()) {
            return 100;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException.BadRequest("maxItems must be a whole number of at least 1, got '" + text + "'");
    }
}

package dev.golemsandbox.payment;

import dev.golemsandbox.http.IsoTime;
import java.math.BigDecimal;
import java.time.Instant;

/** Funds the requestor set aside for payments; accepted invoices spend from it. Guarded by the payment lock. */
final class Allocation {

    final String id;
    final String address;
    final String platform;
    final Instant timestamp;
    BigDecimal total;
    Instant timeout;
    final boolean makeDeposit;
    BigDecimal spent = BigDecimal.ZERO;
    boolean released;

    Allocation(String id, String address, String platform, BigDecimal total, Instant timestamp, Instant timeout, boolean makeDeposit) {
        this.id = id;
        this.address = address;
        this.platform = platform;
        this.total = total;
        this.timestamp = timestamp;
        this.timeout = timeout;
        this.makeDeposit = makeDeposit;
    }

    BigDecimal remaining() {
        return total.subtract(spent);
    }

    AllocationView view() {
        return new AllocationView(id, address, platform, Amounts.format(total), Amounts.format(spent),
                Amounts.format(remaining()), IsoTime.format(timestamp), timeout == null ? null : IsoTime.format(timeout), makeDeposit);
    }
}

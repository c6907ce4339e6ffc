package dev.golemsandbox.inet;

import java.io.IOException;
import java.nio.channels.SelectionKey;

/** What the gateway's one selector thread calls when a channel it watches is ready. */
interface ChannelHandler {

    /** {@code key} is ready; an exception ends only this handler's channel. */
    void ready(SelectionKey key) throws IOException;

    /** The handler's channel failed: release it. */
    void failed(Exception cause);
}

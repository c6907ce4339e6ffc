package dev.golemsandbox.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.golemsandbox.store.ImageResolution;
import dev.golemsandbox.store.StandIn;
import java.net.URI;
import java.util.List;

/**
 * The registry's answer about an image, shaped like the public registry's {@code /v1/image/info}
 * (golem-js reads {@code sha3} and {@code http}/{@code https} and builds
 * {@code hash:sha3:<sha3>:<url>} from them), plus the sandbox's {@code standIn} note.
 *
 * @param tag the tag asked for, else the image's first tag, else null
 * @param http download URL on this sandbox
 * @param https the same URL: the sandbox serves plain HTTP, and requestors that prefer https must still reach it
 * @param standIn set when a public tag was answered by a local stand-in
 */
@JsonPropertyOrder({"sha3", "size", "tag", "tags", "http", "https", "standIn"})
record ImageInfo(String sha3, long size, String tag, List<String> tags, String http, String https,
                 @JsonInclude(JsonInclude.Include.NON_NULL) StandInInfo standIn) {

    /**
     * @param forTag the public tag asked for
     * @param image the local tag or hash answering it
     * @param imageSha3 the hash of the local image that answers
     * @param holds what that image really holds
     * @param source where the mapping is configured
     * @param note one line for people
     */
    record StandInInfo(String forTag, String image, String imageSha3, String holds, String source, String note) {

        @com.fasterxml.jackson.annotation.JsonProperty("for")
        @Override
        public String forTag() {
            return forTag;
        }
    }

    static ImageInfo of(ImageResolution resolution, String requestedTag, URI publicBaseUrl) {
        // A public hash answers with that hash, so the task package names what the requestor asked
        // for; its download is the stand-in, which deploy accepts for this hash only.
        String sha3 = resolution.standIn().filter(StandIn::isForHash).map(StandIn::publicTag)
                .orElse(resolution.image().sha3());
        String url = ImageRegistryApi.downloadUrl(publicBaseUrl, sha3);
        List<String> tags = resolution.image().tags();
        String tag = requestedTag != null ? requestedTag : tags.isEmpty() ? null : tags.get(0);
        StandInInfo standIn = resolution.standIn().map(s -> standIn(s, resolution.image().sha3())).orElse(null);
        return new ImageInfo(sha3, resolution.image().size(), tag, tags, url, url, standIn);
    }

    private static StandInInfo standIn(StandIn standIn, String imageSha3) {
        return new StandInInfo(standIn.publicTag(), standIn.target(), imageSha3, standIn.holds(), standIn.source(), standIn.note());
    }
}

package dev.golemsandbox.manifest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A manifest's signature as a demand carries it: {@code golem.srv.comp.payload.sig} (base64 of
 * the signature bytes), {@code .sig.algorithm} (the digest, e.g. {@code sha256}) and
 * {@code golem.srv.comp.payload.cert} (base64 of the signer's X.509 certificate, PEM or DER).
 * What is signed is the payload property's text itself (the base64 of the manifest), as
 * {@code openssl dgst -sha256 -sign key.pem manifest.json.base64} signs it. Verified with the JDK.
 *
 * <pre>{@code
 * String certId = signature.verify(encodedManifest, Instant.now());   // the certificate's SHA-256 fingerprint
 * }</pre>
 */
public record ManifestSignature(String signature, String algorithm, String certificate) {

    static final int MAX_SIGNATURE_CHARS = 4096;
    static final int MAX_CERTIFICATE_CHARS = 16 * 1024;

    private static final Map<String, String> DIGESTS = Map.of("sha224", "SHA224", "sha256", "SHA256", "sha384", "SHA384",
            "sha512", "SHA512");

    /**
     * Checks the signature of {@code signedText} with the certificate's key.
     *
     * @return the certificate's id: the lowercase hex SHA-256 fingerprint of its DER form, which
     *         a provider's {@code auditedPayload} rules name
     * @throws InvalidManifestException saying what does not hold (in ya-provider's words where it has them)
     */
    public String verify(String signedText, Instant now) {
        if (signature.length() > MAX_SIGNATURE_CHARS || certificate.length() > MAX_CERTIFICATE_CHARS) {
            throw new InvalidManifestException("signature or certificate too long");
        }
        X509Certificate cert = x509();
        try {
            cert.checkValidity(Date.from(now));
        } catch (CertificateException e) {
            throw new InvalidManifestException("certificate is not valid now: " + e.getMessage());
        }
        String digest = DIGESTS.get(algorithm.toLowerCase(Locale.ROOT));
        if (digest == null) {
            throw new InvalidManifestException("unsupported signature algorithm \"" + algorithm + "\"; use one of " + String.join(", ", DIGESTS.keySet().stream().sorted().toList()));
        }
        byte[] sig;
        try {
            sig = ManifestDecoder.base64(signature);
        } catch (IllegalArgumentException e) {
            throw new InvalidManifestException("signature is not base64");
        }
        try {
            Signature verifier = Signature.getInstance(jcaName(digest, cert.getPublicKey()));
            verifier.initVerify(cert.getPublicKey());
            verifier.update(signedText.getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(sig)) {
                throw new InvalidManifestException("Invalid signature.");
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // A signature of the wrong length or encoding is as invalid as a wrong one.
            throw new InvalidManifestException("Invalid signature.");
        }
    }

    private X509Certificate x509() {
        byte[] bytes;
        try {
            bytes = ManifestDecoder.base64(certificate);
        } catch (IllegalArgumentException e) {
            bytes = certificate.getBytes(StandardCharsets.UTF_8);   // PEM given as is
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(bytes));
        } catch (CertificateException | RuntimeException e) {
            throw new InvalidManifestException("certificate is not an X.509 certificate (PEM or DER, in base64)");
        }
    }

    private static String jcaName(String digest, PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> digest + "withRSA";
            case "EC" -> digest + "withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new InvalidManifestException("the certificate's key type " + key.getAlgorithm() + " is not supported");
        };
    }
}

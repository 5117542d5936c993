package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.neilalexander.jnacl.crypto.curve25519xsalsa20poly1305;
import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.ZMQ;

/** Connections encrypted with CURVE: real clients, workers and sockets, and a relay that sees the wire. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CurveTest {
    private static final String SERVICE = "secure";
    private static final String MARKER = "plain-text-marker-5b1f";
    private static final RouteTable<RequestHandler> ECHO = Fixtures.routes("^/echo$",
            request -> ServiceReply.ok("echoed").with("text", request.argument("text", "")).withBody(request.body()));

    private final Fixtures fixtures = new Fixtures(Duration.ofMillis(100), 3);
    private final CurveKeys.KeyPair keys = CurveKeys.generate();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void aPublicKeyIsTheX25519FunctionOfItsSecretKey() {
        // RFC 7748, section 6.1: Alice's key pair
        HexFormat hex = HexFormat.of();
        String secret = ZMQ.Curve.z85Encode(hex.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        String expected = ZMQ.Curve.z85Encode(hex.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));

        assertEquals(expected, CurveKeys.publicKeyOf(secret));
    }

    @Test
    void keyPairsMadeByJeroMqAgreeWithOurs() {
        ZMQ.Curve.KeyPair theirs = ZMQ.Curve.generateKeyPair();

        assertEquals(theirs.publicKey, CurveKeys.publicKeyOf(theirs.secretKey));
    }

    @Test
    void eachGeneratedPairIsNewAndHidesItsSecretWhenPrinted() {
        CurveKeys.KeyPair other = CurveKeys.generate();

        assertTrue(CurveKeys.isKey(keys.publicKey()) && CurveKeys.isKey(keys.secretKey()));
        assertEquals(keys.publicKey(), CurveKeys.publicKeyOf(keys.secretKey()));
        assertNotEquals(keys.secretKey(), other.secretKey());
        assertFalse(keys.toString().contains(keys.secretKey()));
    }

    @Test
    void textThatIsNotAKeyIsRecognised() {
        String key = keys.publicKey();
        assertFalse(CurveKeys.isKey(null));
        assertFalse(CurveKeys.isKey(key.substring(1)), "39 characters");
        assertFalse(CurveKeys.isKey(key + "0"), "41 characters");
        assertFalse(CurveKeys.isKey("~" + key.substring(1)), "a character outside Z85");
        assertFalse(CurveKeys.isKey("\"" + key.substring(1)), "a character outside Z85");
        assertFalse(CurveKeys.isKey("#####" + key.substring(5)), "a group above 32 bits");
        assertTrue(CurveKeys.isKey("%nSc0" + key.substring(5)), "the largest group, 2^32 - 1");
        assertThrows(IllegalArgumentException.class, () -> CurveKeys.publicKeyOf("short"));
    }

    /**
     * The points of small order, written as ZeroMQ's NaCl code reads them (the top bit counting as 2^255) and
     * as RFC 7748 does (the top bit ignored): X25519 of any secret key and such a point is 0, so the key a CURVE
     * handshake derives from it is the same whoever computes it, and anyone may claim to hold it.
     */
    @Test
    void keysOfSmallOrderAreThoseAnyoneCanClaim() {
        BigInteger prime = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        List<BigInteger> smallOrder = List.of(BigInteger.ZERO, BigInteger.ONE, prime.subtract(BigInteger.ONE),
                new BigInteger("325606250916557431795983626356110631294008115727848805560023387167927233504"),
                new BigInteger("39382357235489614581723060781553021112529911719440698176882885853963445705823"));
        BigInteger topBit = BigInteger.TWO.pow(255);
        for (BigInteger u : smallOrder) {
            List<BigInteger> nacl = new ArrayList<>(List.of(u, u.subtract(BigInteger.valueOf(19)).mod(prime).add(topBit)));
            if (u.add(prime).compareTo(topBit) < 0) {
                nacl.add(u.add(prime)); // 0 and 1 have a second encoding below 2^255
            }
            for (BigInteger encoded : nacl) {
                String key = z85LittleEndian(encoded);
                assertTrue(CurveKeys.hasSmallOrder(key), key);
                assertArrayEquals(sharedKey(key, CurveKeys.generate().secretKey()),
                        sharedKey(key, CurveKeys.generate().secretKey()), "anyone can claim " + key);
            }
            assertTrue(CurveKeys.hasSmallOrder(z85LittleEndian(u.add(topBit))), "RFC 7748 ignores the top bit");
        }
        for (int i = 0; i < 100; i++) {
            String publicKey = CurveKeys.generate().publicKey();
            assertFalse(CurveKeys.hasSmallOrder(publicKey), publicKey);
            assertNotEquals(HexFormat.of().formatHex(sharedKey(publicKey, CurveKeys.generate().secretKey())),
                    HexFormat.of().formatHex(sharedKey(publicKey, CurveKeys.generate().secretKey())));
        }
    }

    /** The key JeroMQ's CURVE derives from a peer's public key and one's own secret key. */
    private static byte[] sharedKey(String publicKey, String secretKey) {
        byte[] shared = new byte[32];
        curve25519xsalsa20poly1305.crypto_box_beforenm(shared, ZMQ.Curve.z85Decode(publicKey), ZMQ.Curve.z85Decode(secretKey));
        return shared;
    }

    private static String z85LittleEndian(BigInteger value) {
        byte[] bigEndian = value.toByteArray();
        byte[] littleEndian = new byte[32];
        for (int i = 0; i < Math.min(32, bigEndian.length); i++) {
            littleEndian[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return ZMQ.Curve.z85Encode(littleEndian);
    }

    @ParameterizedTest(name = "CURVE on: {0}")
    @ValueSource(booleans = {true, false})
    void callsCrossTheWireUnreadableOnlyWithCurve(boolean curve) throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE)
                .curveSecretKey(curve ? keys.secretKey() : null).build());
        RecordingRelay relay = fixtures.track(new RecordingRelay(client.endpoint()));
        fixtures.worker(fixtures.workerConfig(client, ECHO).endpoints(relay.endpoint())
                .curveServerKey(curve ? keys.publicKey() : null).build());
        Fixtures.awaitWorkers(client, 1);
        int before = relay.bytesSeen();

        ServiceResult result = client.request("/echo").argument("text", MARKER).body(MARKER.getBytes()).send();

        assertEquals(MARKER, result.response().payload().getString("text"));
        assertEquals(MARKER, new String(result.response().body()));
        assertTrue(relay.bytesSeen() - before >= 4 * MARKER.length(), "the call and its answer crossed the relay");
        assertEquals(!curve, relay.hasSeen(MARKER), "the marker is readable on the wire");
    }

    @Test
    void aWorkerTrustingAnotherKeyIsNotAdmittedAndTheClientSaysWhy() {
        try (KeptLog clientLog = KeptLog.of(CurveSecurity.class)) {
            ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).curveSecretKey(keys.secretKey()).build());
            fixtures.worker(fixtures.workerConfig(client, ECHO).curveServerKey(CurveKeys.generate().publicKey()).build());

            Fixtures.awaitCondition(Duration.ofSeconds(10), "the client to log the failed handshake",
                    () -> clientLog.has("a peer failed the CURVE handshake"));
            assertEquals(0, client.status().toCompletableFuture().join().workers().size());
            assertTrue(clientLog.messages().get(0).contains(keys.publicKey()), "the warning names the client's public key");

            fixtures.worker(fixtures.workerConfig(client, ECHO).curveServerKey(keys.publicKey()).build());
            Fixtures.awaitWorkers(client, 1);
            assertEquals("echoed", client.request("/echo").send().response().statusMessage());
        }
    }

    @Test
    void aWorkerGivenASecretKeyUsesItsPairAndLogsItsPublicKeyAtStart() {
        CurveKeys.KeyPair workerKeys = CurveKeys.generate();
        try (KeptLog workerLog = KeptLog.of(WorkerLoop.class)) {
            ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).curveSecretKey(keys.secretKey()).build());
            ServiceWorker fixed = fixtures.worker(fixtures.workerConfig(client, ECHO).curveServerKey(keys.publicKey())
                    .curveSecretKey(workerKeys.secretKey()).label("fixed").build());
            ServiceWorker fresh = fixtures.worker(fixtures.workerConfig(client, ECHO).curveServerKey(keys.publicKey())
                    .label("fresh").build());
            Fixtures.awaitWorkers(client, 2);

            assertEquals(workerKeys.publicKey(), fixed.config().curvePublicKey().orElseThrow());
            assertTrue(fresh.config().curvePublicKey().isEmpty(), "no secret key, no fixed pair");
            assertTrue(workerLog.has("its public key is " + workerKeys.publicKey() + " (curve-secret-key)"),
                    workerLog.messages().toString());
            assertTrue(workerLog.has(", made for this start (set curve-secret-key to keep one that a client can list)"),
                    workerLog.messages().toString());
            assertFalse(workerLog.has(workerKeys.secretKey()), "the secret key is never logged");
            assertEquals("echoed", client.request("/echo").send().response().statusMessage());
        }
    }

    @ParameterizedTest(name = "client encrypts: {0}")
    @ValueSource(booleans = {true, false})
    void aWorkerAndAClientThatDisagreeOnCurveNeverMeet(boolean clientEncrypts) {
        try (KeptLog workerLog = KeptLog.of(WorkerLoop.class)) {
            ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE)
                    .curveSecretKey(clientEncrypts ? keys.secretKey() : null).build());
            ServiceWorker worker = fixtures.worker(fixtures.workerConfig(client, ECHO)
                    .curveServerKey(clientEncrypts ? null : keys.publicKey()).build());
            String gaveUp = "reconnects to " + client.endpoint() + " because nothing came on this connection";

            Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to give the unanswered connection up",
                    () -> workerLog.has(gaveUp));

            assertEquals(0, client.status().toCompletableFuture().join().workers().size());
            String reason = workerLog.messages().stream().filter(message -> message.contains(gaveUp)).findFirst().orElseThrow();
            assertTrue(clientEncrypts ? reason.endsWith("A client that uses CURVE needs curve-server-key here")
                    : reason.contains("does it use CURVE with the key pair of curve-server-key? A client with "
                    + "curve-worker-keys takes only the workers whose public key it lists, and this one's is "), reason);
            assertFalse(workerLog.has("because a send failed"), workerLog.messages().toString());

            worker.close();
            assertFalse(workerLog.has("could not send"), "no warning for a goodbye to a client it never met: "
                    + workerLog.messages());
        }
    }
}

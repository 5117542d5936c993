/**
 * The messages of the wire protocol specified in {@code docs/PROTOCOL.md}, and their encoding and
 * authentication: {@link io.brubeck.service.wire.WireMessage}, {@link io.brubeck.service.wire.MessageCodec}
 * and {@link io.brubeck.service.wire.MessageAuthenticator}. Applications need none of it; it is public for
 * the engine and for tools that speak the protocol themselves, such as test peers. It follows the
 * protocol's version rather than the API's compatibility.
 */
package io.brubeck.service.wire;

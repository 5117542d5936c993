/**
 * What the CDI layer learns about {@link io.brubeck.service.cdi.ServiceRoute} beans, kept apart from
 * any container SPI: scanning a class into route descriptors with every problem worded for the user,
 * the application-wide route catalog, and the adapters that turn a handler method into an engine
 * {@link io.brubeck.service.api.RequestHandler} or {@link io.brubeck.service.api.ResponseHandler}
 * through method handles built once. A portable extension, or a build-compatible one, feeds classes
 * in and supplies bean instances and request-context activation through two small interfaces.
 *
 * <p>Applications read only {@link io.brubeck.service.cdi.routes.RouteCatalog}, its entries and
 * {@link io.brubeck.service.cdi.routes.RouteKind}, which {@link io.brubeck.service.cdi.ServiceRuntime#routes()}
 * returns; the other public types are public for the library's extensions and may change in any release.
 */
package io.brubeck.service.cdi.routes;

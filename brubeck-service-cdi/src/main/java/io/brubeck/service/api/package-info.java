/**
 * What applications program against, whether they run the engine from plain Java or through CDI:
 * {@link io.brubeck.service.api.ServiceClient} and {@link io.brubeck.service.api.ServiceCall} to call a
 * service; {@link io.brubeck.service.api.ServiceRequest}, {@link io.brubeck.service.api.RequestHandler} and
 * {@link io.brubeck.service.api.ServiceReply} to answer one on a worker;
 * {@link io.brubeck.service.api.ServiceResponse}, {@link io.brubeck.service.api.ResponseHandler} and
 * {@link io.brubeck.service.api.ServiceResult} for what comes back; and the
 * {@link io.brubeck.service.api.ServiceException} family for calls that got no answer. Nothing here depends
 * on ZeroMQ or on a container.
 */
package io.brubeck.service.api;

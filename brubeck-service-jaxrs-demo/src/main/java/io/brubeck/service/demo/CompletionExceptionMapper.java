package io.brubeck.service.demo;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.Providers;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps a {@code CompletionStage} that a resource returned and that failed: the stage's
 * {@link CompletionException} wraps the real failure, which is mapped as if the resource had thrown it
 * (so a service timeout still answers 504, a {@link WebApplicationException} its own response).
 */
@Provider
public class CompletionExceptionMapper implements ExceptionMapper<CompletionException> {
    private static final System.Logger LOG = System.getLogger(CompletionExceptionMapper.class.getName());

    @Context
    Providers providers;

    @Override
    public Response toResponse(CompletionException failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof WebApplicationException web) {
            return web.getResponse();
        }
        ExceptionMapper<Throwable> mapper = cause == failure ? null : mapperOf(cause);
        if (mapper != null) {
            return mapper.toResponse(cause);
        }
        LOG.log(Level.ERROR, "A request failed", cause);
        return Response.serverError().type(MediaType.TEXT_PLAIN_TYPE).entity("500 Internal Server Error\n").build();
    }

    @SuppressWarnings("unchecked")
    private ExceptionMapper<Throwable> mapperOf(Throwable cause) {
        return providers == null ? null : (ExceptionMapper<Throwable>) providers.getExceptionMapper(cause.getClass());
    }
}

package io.brubeck.service.demo;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/** The demo's Jakarta REST application: its resources and the mappers that turn service failures into 503 and 504. */
@ApplicationPath("/")
public class DemoApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(IndexResource.class, SyncResource.class, AsyncResource.class, PrimesResource.class,
                StatusResource.class, ServiceExceptionMapper.class, CompletionExceptionMapper.class);
    }
}

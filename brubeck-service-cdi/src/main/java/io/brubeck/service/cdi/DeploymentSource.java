package io.brubeck.service.cdi;

/**
 * Where {@link ServiceRuntime} gets the deployment it starts from: the portable extension, as a bean of
 * its own, in a CDI Full container; a synthetic bean of the build-compatible extension in a CDI Lite one.
 */
interface DeploymentSource {

    /**
     * Called by the runtime as it begins to start, so that a start of the application that fails can stop
     * it. Nothing by default: a source that guards no observer of the application's start needs nothing.
     */
    default void runtimeStarting(ServiceRuntime runtime) {
    }

    /**
     * What validation established.
     *
     * @return {@code null} when the deployment has not validated
     * @throws jakarta.enterprise.inject.spi.DeploymentException when what can only be checked now, as the
     *         application starts, has problems
     */
    ValidatedDeployment deployment();
}

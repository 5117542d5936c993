/**
 * Reads client and worker settings from configuration keys ({@code brubeck.service.<name>.*} and
 * {@code brubeck.worker.*}) into engine configurations, reporting every missing or invalid key by
 * name. Independent of any container: values come through {@link io.brubeck.service.cdi.config.ConfigValues},
 * which the CDI layer backs with MicroProfile Config. Keys under those prefixes that no setting reads are
 * warned about ({@link io.brubeck.service.cdi.config.UnknownKeys}).
 */
package io.brubeck.service.cdi.config;

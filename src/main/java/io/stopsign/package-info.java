/**
 * The top: Main, Launcher and Service wire the stages; the whole config (StopSignConfig,
 * ConfigLoader, QueueConfig, ConfigReloadVerticle) and the score command live here because they
 * import every stage. Nothing below imports this package.
 */
package io.stopsign;

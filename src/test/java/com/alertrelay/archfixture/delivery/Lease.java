package com.alertrelay.archfixture.delivery;

import java.time.Duration;

import com.alertrelay.archfixture.routing.Registry;

/** Uses {@code routing}, which uses {@code delivery}: a cycle. */
public record Lease(Duration duration, Registry registry) {
}

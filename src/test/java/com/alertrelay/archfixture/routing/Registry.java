package com.alertrelay.archfixture.routing;

import com.alertrelay.archfixture.delivery.Lease;

/** Uses {@code delivery}, which uses {@code routing}: a cycle. */
public record Registry(Lease lease) {
}

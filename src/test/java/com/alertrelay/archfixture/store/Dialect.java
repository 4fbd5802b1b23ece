package com.alertrelay.archfixture.store;

import java.time.Instant;

/** Shared infrastructure of the fixture. */
public interface Dialect {

    Object timestamp(Instant instant);
}

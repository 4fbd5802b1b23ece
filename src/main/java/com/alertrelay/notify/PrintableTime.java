package com.alertrelay.notify;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A timestamp every channel can print in any time zone: years 0001 to 9999 (Alertmanager's "no end" is
 * {@code 0001-01-01T00:00:00Z}). Beyond that the time formatting of the chat renderers overflows, and a
 * notification accepted with such a time could never be sent. Null is left to {@code @NotNull}.
 */
@Documented
@Constraint(validatedBy = PrintableTime.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface PrintableTime {

    /** The earliest and latest accepted instants, a day inside the four-digit years so that any offset fits. */
    Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    Instant LATEST = Instant.parse("9999-12-30T23:59:59Z");

    String message() default "must be a time between 0001-01-01T00:00:00Z and 9999-12-30T23:59:59Z";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PrintableTime, Instant> {

        @Override
        public boolean isValid(Instant value, ConstraintValidatorContext context) {
            return value == null || (!value.isBefore(EARLIEST) && !value.isAfter(LATEST));
        }
    }
}

package org.selfhostedgateway.link;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.selfhostedgateway.web.IpAddresses;

/**
 * An expose whose host is written as an address must be a real one: {@code 999.999.999.999:80}, {@code [..]:80} or
 * {@code [::::::]:80} have the shape {@link LinkPatterns#EXPOSE} allows but the client link would refuse them.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ExposeAddress.Validator.class)
@interface ExposeAddress {

    String message() default "must name a valid IP address when it names one: IPv4 as four numbers from 0 to 255, "
            + "IPv6 in brackets such as [2001:db8::1]:80";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ExposeAddress, String> {

        private static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile(LinkPatterns.EXPOSE);
        private static final java.util.regex.Pattern NUMBERS_AND_DOTS = java.util.regex.Pattern.compile("[0-9.]+");

        @Override
        public boolean isValid(String expose, ConstraintValidatorContext context) {
            if (expose == null || !SHAPE.matcher(expose).matches()) {
                return true; // missing or misshapen: the other constraints say so
            }
            String host = expose.substring(0, expose.lastIndexOf(':'));
            if (host.startsWith("[")) {
                return IpAddresses.isIpv6(host.substring(1, host.length() - 1));
            }
            return !NUMBERS_AND_DOTS.matcher(host).matches() || IpAddresses.isIpv4(host);
        }
    }
}

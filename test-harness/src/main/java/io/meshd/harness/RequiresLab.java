package io.meshd.harness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs root, network namespaces and the named commands. Outside CI such a
 * test is skipped with the reason; with {@code CI=true} it fails instead, so CI can never pass by skipping.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag("lab")
@ExtendWith(LabRequirement.class)
public @interface RequiresLab {

    /** Commands that must be on the PATH besides {@code ip}, e.g. {@code "tshark"}, {@code "dig"}. */
    String[] commands() default {};
}

package io.meshd.cli.agent;

import java.time.Duration;
import picocli.CommandLine;

/** Parses durations written as {@code 250ms}, {@code 2s}, {@code 5m} or {@code 1h}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String v = value.strip();
        try {
            if (v.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))), value);
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            switch (v.charAt(v.length() - 1)) {
                case 's':
                    return positive(Duration.ofSeconds(n), value);
                case 'm':
                    return positive(Duration.ofMinutes(n), value);
                case 'h':
                    return positive(Duration.ofHours(n), value);
                default:
                    break;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // fall through to the message below
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 250ms, 2s, 5m, 1h");
    }

    private static Duration positive(Duration d, String value) {
        if (d.isNegative() || d.isZero()) {
            throw new CommandLine.TypeConversionException("'" + value + "' must be positive");
        }
        return d;
    }
}

package io.meshd.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decodes {@code %XX} escapes of a path segment or query component as UTF-8 ({@code +} stays a plus in a path). */
final class PercentDecoder {
    private PercentDecoder() {
    }

    /** A path segment. */
    static String decode(String s) {
        return decode(s, false);
    }

    /**
     * {@code s} with its escapes decoded, and {@code +} as a space when {@code plusIsSpace} (a query).
     *
     * @throws ApiError 400 for a broken escape or bytes that are not UTF-8
     */
    static String decode(String s, boolean plusIsSpace) {
        if (s.chars().allMatch(c -> c != '%' && c != '+' && c < 0x80)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw ApiError.badRequest("broken %-escape in the URL");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw ApiError.badRequest("broken %-escape in the URL");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c <= 0xff) {
                bytes.write(c); // the codec reads the request line as ISO-8859-1: one char per byte sent
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("the URL's escapes are not UTF-8");
        }
    }
}

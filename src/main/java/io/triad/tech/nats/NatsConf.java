package io.triad.tech.nats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Reads a nats-server configuration file (the NATS conf format, as lexed by nats-server's conf package).
 *
 * <p>Keys are separated from values by {@code :}, {@code =} or whitespace; maps are {@code { }} and arrays
 * {@code [ ]} (values separated by commas and/or newlines); strings are double-quoted (with {@code \" \\ \n \t \r
 * \xHH} escapes), single-quoted (raw) or unquoted (ending at whitespace, newline, {@code ; , ] }}); comments are
 * {@code #} and {@code //}. Values become {@link String}, {@link Long}, {@link Double}, {@link Boolean}
 * (true/false/on/off/yes/no), {@link List} or {@link Map}. Sizes and durations ({@code 1GB}, {@code 2m}) and
 * addresses ({@code 0.0.0.0:6222}) stay strings. {@code $NAME} resolves to a variable of an enclosing scope; an
 * unresolved one (environment variables, bcrypt hashes like {@code $2a$11$...}) stays the literal text.
 * {@code include} lines are not followed: they are recorded in {@link #notes()}.
 */
public final class NatsConf {

    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern FLOAT = Pattern.compile("-?\\d+\\.\\d+");

    private final Map<String, Object> root;
    private final List<String> notes;

    private NatsConf(Map<String, Object> root, List<String> notes) {
        this.root = root;
        this.notes = List.copyOf(notes);
    }

    public static NatsConf parse(String text) {
        Parser p = new Parser(text);
        Map<String, Object> root = p.document();
        return new NatsConf(root, p.notes);
    }

    /** The whole configuration: an unmodifiable map in file order. */
    public Map<String, Object> root() {
        return root;
    }

    /** What was skipped, e.g. {@code "line 52: include ./accounts.conf not followed"}. */
    public List<String> notes() {
        return notes;
    }

    /** The value at a dotted path such as {@code cluster.name}; a numeric segment indexes an array. */
    public Optional<Object> get(String dottedPath) {
        Object current = root;
        for (String segment : dottedPath.split("\\.")) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(segment);
            } else if (current instanceof List<?> list && INTEGER.matcher(segment).matches()) {
                int i = Integer.parseInt(segment);
                current = i >= 0 && i < list.size() ? list.get(i) : null;
            } else {
                return Optional.empty();
            }
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    /** A scalar at {@code path} as text (numbers and booleans as written by {@code String.valueOf}). */
    public Optional<String> string(String path) {
        return get(path).filter(v -> !(v instanceof Map) && !(v instanceof List)).map(String::valueOf);
    }

    /** An integer at {@code path}, or a string of digits there. */
    public OptionalLong number(String path) {
        Optional<Object> v = get(path);
        if (v.isPresent() && v.get() instanceof Long l) {
            return OptionalLong.of(l);
        }
        if (v.isPresent() && v.get() instanceof String s && INTEGER.matcher(s.trim()).matches()) {
            return OptionalLong.of(Long.parseLong(s.trim()));
        }
        return OptionalLong.empty();
    }

    /** An array of scalars at {@code path} as strings; a single scalar as a one-element list; empty if absent. */
    public List<String> strings(String path) {
        Optional<Object> v = get(path);
        if (v.isEmpty()) {
            return List.of();
        }
        if (v.get() instanceof Map) {
            throw new IllegalArgumentException(path + " is a map, not a list of strings");
        }
        if (!(v.get() instanceof List<?> list)) {
            return List.of(String.valueOf(v.get()));
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof Map || item instanceof List) {
                throw new IllegalArgumentException(path + " holds a nested " + (item instanceof Map ? "map" : "array")
                        + ", not only strings");
            }
            out.add(String.valueOf(item));
        }
        return List.copyOf(out);
    }

    /** A recursive-descent reader over the text, tracking the line for error messages. */
    private static final class Parser {
        private final String s;
        private int pos;
        private int line = 1;
        private final List<String> notes = new ArrayList<>();
        private final Deque<Map<String, Object>> scopes = new ArrayDeque<>();

        Parser(String text) {
            this.s = text.replace("\r\n", "\n");
        }

        Map<String, Object> document() {
            skipBlank();
            boolean braced = peek() == '{';
            if (braced) {
                next();
            }
            Map<String, Object> map = mapBody(braced ? '}' : 0);
            if (braced) {
                skipBlank();
            }
            if (pos < s.length()) {
                throw error("unexpected '" + peek() + "' after the end of the configuration");
            }
            return map;
        }

        /** Key/value pairs until {@code end} ('}' or 0 for end of input); the closing brace is consumed. */
        private Map<String, Object> mapBody(char end) {
            int openedAt = line;
            Map<String, Object> map = new LinkedHashMap<>();
            scopes.push(map);
            while (true) {
                skipBlankAndSeparators();
                if (pos >= s.length()) {
                    if (end != 0) {
                        throw new IllegalArgumentException("line " + openedAt + ": map opened here is never closed with '}'");
                    }
                    break;
                }
                if (peek() == '}') {
                    if (end != '}') {
                        throw error("unexpected '}' without a matching '{'");
                    }
                    next();
                    break;
                }
                int keyLine = line;
                String key = key();
                if (key.isEmpty()) {
                    throw error("expected a key but found '" + peek() + "'");
                }
                if (key.equalsIgnoreCase("include") && (peek() == ' ' || peek() == '\t')) {
                    String target = restOfLine().trim();
                    notes.add("line " + keyLine + ": include " + target + " not followed");
                    continue;
                }
                skipWhitespaceAndNewlines();
                if (peek() == ':' || peek() == '=') {
                    next();
                }
                skipSpaces();
                if (pos >= s.length() || peek() == '\n' || peek() == '}') {
                    throw new IllegalArgumentException("line " + keyLine + ": key '" + key + "' has no value");
                }
                map.put(key, value());
                afterValue("key '" + key + "'", end);
            }
            scopes.pop();
            return Collections.unmodifiableMap(map);
        }

        private String key() {
            char c = peek();
            if (c == '"' || c == '\'') {
                next();
                int start = pos;
                while (pos < s.length() && peek() != c && peek() != '\n') {
                    next();
                }
                if (peek() != c) {
                    throw error("unterminated quoted key");
                }
                String key = s.substring(start, pos);
                next();
                return key;
            }
            if (c == ':' || c == '=') {
                throw error("key separator '" + c + "' without a key");
            }
            int start = pos;
            while (pos < s.length() && !Character.isWhitespace(peek()) && peek() != ':' && peek() != '='
                    && peek() != '{' && peek() != '[') {
                next();
            }
            return s.substring(start, pos);
        }

        private Object value() {
            char c = peek();
            return switch (c) {
                case '{' -> {
                    next();
                    yield mapBody('}');
                }
                case '[' -> array();
                case '"' -> doubleQuoted();
                case '\'' -> singleQuoted();
                case '(' -> block();
                default -> unquoted();
            };
        }

        private List<Object> array() {
            int openedAt = line;
            next();
            List<Object> list = new ArrayList<>();
            while (true) {
                skipBlank();
                if (pos >= s.length()) {
                    throw new IllegalArgumentException("line " + openedAt + ": array opened here is never closed with ']'");
                }
                if (peek() == ']') {
                    next();
                    return Collections.unmodifiableList(list);
                }
                if (peek() == ',') {
                    throw error("unexpected ',' in array");
                }
                list.add(value());
                skipSpacesAndComment();
                if (peek() == ',' || peek() == '\n') {
                    next();
                } else if (peek() != ']') {
                    throw error(pos >= s.length() ? "array opened at line " + openedAt + " is never closed with ']'"
                            : "expected ',' or ']' in array but found '" + peek() + "'");
                }
            }
        }

        private String doubleQuoted() {
            int startLine = line;
            next();
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw new IllegalArgumentException("line " + startLine + ": unterminated double-quoted string");
                }
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = pos < s.length() ? next() : ' ';
                switch (e) {
                    case 't' -> out.append('\t');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    case 'x' -> {
                        if (pos + 2 > s.length()) {
                            throw error("expected two hexadecimal digits after \\x");
                        }
                        try {
                            out.append((char) Integer.parseInt(s.substring(pos, pos + 2), 16));
                        } catch (NumberFormatException ex) {
                            throw error("expected two hexadecimal digits after \\x");
                        }
                        pos += 2;
                    }
                    default -> throw error("invalid escape '\\" + e + "' in double-quoted string");
                }
            }
        }

        private String singleQuoted() {
            int startLine = line;
            next();
            int start = pos;
            while (pos < s.length() && peek() != '\'') {
                next();
            }
            if (pos >= s.length()) {
                throw new IllegalArgumentException("line " + startLine + ": unterminated single-quoted string");
            }
            String v = s.substring(start, pos);
            next();
            return v;
        }

        /** {@code ( ... )} with the closing parenthesis alone on its line: the text in between, verbatim. */
        private String block() {
            int startLine = line;
            next();
            int close = s.indexOf("\n)", pos);
            while (close >= 0 && close + 2 < s.length() && s.charAt(close + 2) != '\n') {
                close = s.indexOf("\n)", close + 1);
            }
            if (close < 0) {
                throw new IllegalArgumentException("line " + startLine + ": block '(' is never closed by ')' on its own line");
            }
            String v = s.substring(pos, close + 1);
            while (pos < close + 2) {
                next();
            }
            return v;
        }

        private Object unquoted() {
            int start = pos;
            while (pos < s.length() && " \t\n;,]}".indexOf(peek()) < 0) {
                next();
            }
            String v = s.substring(start, pos);
            if (v.isEmpty()) {
                throw error("expected a value but found '" + peek() + "'");
            }
            switch (v.toLowerCase()) {
                case "true", "on", "yes" -> {
                    return Boolean.TRUE;
                }
                case "false", "off", "no" -> {
                    return Boolean.FALSE;
                }
                default -> { }
            }
            if (INTEGER.matcher(v).matches()) {
                return Long.parseLong(v);
            }
            if (FLOAT.matcher(v).matches()) {
                return Double.parseDouble(v);
            }
            if (v.startsWith("$") && v.length() > 1) {
                String name = v.substring(1);
                for (Map<String, Object> scope : scopes) {
                    if (scope.containsKey(name)) {
                        return scope.get(name);
                    }
                }
            }
            return v;
        }

        /** After a map value: spaces, an optional comment, then a newline, ';', ',', the closing '}' or the end. */
        private void afterValue(String what, char end) {
            skipSpacesAndComment();
            if (pos >= s.length() || peek() == '}') {
                return;
            }
            char c = peek();
            if (c == '\n' || c == ';' || c == ',') {
                next();
                return;
            }
            throw error("unexpected '" + c + "' after the value of " + what);
        }

        private void skipSpaces() {
            while (pos < s.length() && (peek() == ' ' || peek() == '\t')) {
                next();
            }
        }

        private void skipWhitespaceAndNewlines() {
            while (pos < s.length() && Character.isWhitespace(peek())) {
                next();
            }
        }

        private void skipSpacesAndComment() {
            skipSpaces();
            if (atComment()) {
                restOfLine();
            }
        }

        /** Whitespace, newlines and comments. */
        private void skipBlank() {
            while (true) {
                skipWhitespaceAndNewlines();
                if (!atComment()) {
                    return;
                }
                restOfLine();
            }
        }

        private void skipBlankAndSeparators() {
            while (true) {
                skipBlank();
                if (pos < s.length() && (peek() == ';' || peek() == ',')) {
                    next();
                } else {
                    return;
                }
            }
        }

        private boolean atComment() {
            return pos < s.length() && (peek() == '#' || s.startsWith("//", pos));
        }

        /** Consumes up to, not including, the newline. */
        private String restOfLine() {
            int start = pos;
            while (pos < s.length() && peek() != '\n') {
                next();
            }
            return s.substring(start, pos);
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private char next() {
            char c = s.charAt(pos++);
            if (c == '\n') {
                line++;
            }
            return c;
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException("line " + line + ": " + message);
        }
    }
}

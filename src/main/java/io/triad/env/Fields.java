package io.triad.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/** The fields of one YAML mapping; reports fields that were never read as unknown. */
public final class Fields {
    private final JsonNode node;
    private final String prefix;
    private final Set<String> read = new LinkedHashSet<>();
    private final BiFunction<String, String, InputError> error;

    /** The mapping {@code node}, its fields named {@code prefix + key} in messages made by {@code error(field, message)}. */
    public Fields(JsonNode node, String prefix, BiFunction<String, String, InputError> error) {
        this.error = error;
        if (node != null && !node.isMissingNode() && !node.isNull() && !node.isObject()) {
            throw error.apply(prefix.isEmpty() ? "(top)" : prefix.substring(0, prefix.length() - 1), "must be a mapping");
        }
        this.node = node == null || node.isNull() ? MissingNode.getInstance() : node;
        this.prefix = prefix;
    }

    public boolean isEmpty() {
        return node.isMissingNode() || node.isEmpty();
    }

    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    public JsonNode optional(String key) {
        read.add(key);
        JsonNode v = node.path(key);
        return v.isNull() ? MissingNode.getInstance() : v;
    }

    public JsonNode required(String key) {
        JsonNode v = optional(key);
        if (v.isMissingNode()) {
            throw error.apply(prefix + key, "is required");
        }
        return v;
    }

    public Optional<String> text(String key) {
        JsonNode v = optional(key);
        if (v.isMissingNode()) {
            return Optional.empty();
        }
        if (!v.isValueNode()) {
            throw error.apply(prefix + key, "must be a single value");
        }
        return Optional.of(v.asText());
    }

    public String requiredText(String key) {
        String v = text(key).orElse("");
        if (v.isBlank()) {
            throw error.apply(prefix + key, "is required");
        }
        return v.trim();
    }

    public boolean bool(String key, boolean fallback) {
        JsonNode v = optional(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw error.apply(prefix + key, "'" + v.asText() + "' must be true or false");
        }
        return v.asBoolean();
    }

    public int integer(String key, int fallback, int min, int max) {
        JsonNode v = optional(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw error.apply(prefix + key, "'" + v.asText() + "' must be a whole number from " + min + " to " + max);
        }
        return v.asInt();
    }

    public Duration duration(String key, String fallback) {
        String text = text(key).orElse(fallback);
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw error.apply(prefix + key, e.getMessage());
        }
    }

    /** The name of a field of this mapping in messages (its path from the top). */
    public String path(String key) {
        return prefix + key;
    }

    /** An error about the field {@code key} of this mapping. */
    public InputError error(String key, String message) {
        return error.apply(prefix + key, message);
    }

    public String absolutePath(String key, String fallback) {
        String p = text(key).orElse(fallback);
        if (!p.startsWith("/")) {
            throw error.apply(prefix + key, "'" + p + "' must be an absolute path on the nodes");
        }
        return p;
    }

    public Set<String> stringSet(String key) {
        JsonNode v = optional(key);
        Set<String> out = new LinkedHashSet<>();
        if (v.isMissingNode()) {
            return out;
        }
        if (!v.isArray()) {
            throw error.apply(prefix + key, "must be a list");
        }
        v.forEach(item -> out.add(item.asText()));
        return out;
    }

    public Fields object(String key) {
        return new Fields(optional(key), prefix + key + ".", error);
    }

    public void done() {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> {
            if (!read.contains(k)) {
                unknown.add(prefix + k);
            }
        });
        if (!unknown.isEmpty()) {
            throw error.apply(unknown.get(0), "unknown field" + (unknown.size() > 1 ? " (also " + unknown.subList(1, unknown.size()) + ")" : ""));
        }
    }
}

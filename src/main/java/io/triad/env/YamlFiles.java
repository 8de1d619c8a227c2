package io.triad.env;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the YAML files a user gives the harness; what is wrong with one is bad input naming the file. */
public final class YamlFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlFiles() { }

    /** The file's tree; {@code what} names the file in messages ("environment file", "waivers file"). */
    public static JsonNode read(Path file, String what) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InputError(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new InputError(what + " " + file + " cannot be read: " + e.getMessage());
        }
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InputError(what + " " + file + " is not valid YAML" + where + ": " + e.getOriginalMessage());
        }
    }
}

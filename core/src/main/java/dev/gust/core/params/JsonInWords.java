package dev.gust.core.params;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what is wrong with a piece of JSON in the words of the person who typed it ("a key must
 * be in double quotes", "a comma is missing between two entries") with the line and column,
 * instead of the parser's own message with its character codes and source references.
 */
public final class JsonInWords {

    private static final Pattern UNRECOGNIZED = Pattern.compile("Unrecognized token '([^']*)'");
    private static final Pattern UNEXPECTED = Pattern.compile("Unexpected character \\('(.)' \\(code \\d+\\)\\)");

    private JsonInWords() {}

    /** "at line 2, column 5: a key must be in double quotes, like {"key": 1}". */
    public static String describe(JsonProcessingException e) {
        return where(e.getLocation()) + what(e.getOriginalMessage() == null ? "" : e.getOriginalMessage());
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return "at line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    }

    private static String what(String message) {
        if (message.contains("end-of-input")) {
            return "it ends too early; a closing } or ] or \" is missing";
        }
        if (message.contains("double-quote to start field name")) {
            return "a key must be in double quotes, like {\"key\": 1}"
                    + (message.startsWith("Unexpected character ('}'") ? " (or a comma is one too many)" : "");
        }
        if (message.contains("comma to separate Object entries")) {
            return "a comma is missing between two entries (or a } is missing at the end)";
        }
        if (message.contains("comma to separate Array entries")) {
            return "a comma is missing between two items of a list (or a ] is missing at the end)";
        }
        if (message.contains("was expecting a colon")) {
            return "a colon is missing between a key and its value, like \"key\": 1";
        }
        if (message.contains("Unexpected close marker")) {
            return "a closing } or ] does not match what was opened";
        }
        if (message.contains("trailing token") || message.contains("Trailing token")) {
            return "there is more after the end of the JSON value; remove it or wrap everything in {}";
        }
        Matcher token = UNRECOGNIZED.matcher(message);
        if (token.find()) {
            return "'" + token.group(1) + "' is not a JSON value; put text in double quotes, and write"
                    + " true, false and null in lower case";
        }
        if (message.contains("Illegal unquoted character")) {
            return "a text has a line break or control character; write it as \\n inside the quotes";
        }
        Matcher unexpected = UNEXPECTED.matcher(message);
        if (unexpected.find()) {
            String c = unexpected.group(1);
            return c.equals("'")
                    ? "text must be in double quotes, not single quotes"
                    : "the character '" + c + "' is not expected here";
        }
        return "it is not valid JSON";
    }
}

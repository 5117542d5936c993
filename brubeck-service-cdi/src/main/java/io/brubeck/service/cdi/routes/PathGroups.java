package io.brubeck.service.cdi.routes;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The capturing groups of a route's pattern, as {@link io.brubeck.service.cdi.PathGroup @PathGroup} names
 * them: by a named group's name, or by a group's number. The deployment checks them here; a message reads
 * their values with {@code pathGroup} of its request or response.
 */
final class PathGroups {

    private PathGroups() {
    }

    /** Whether {@code group} is a group's number rather than a name. */
    static boolean isNumber(String group) {
        return !group.isEmpty() && group.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Whether {@code group} is one a pattern can name: a letter, then letters and digits, as Java writes them. */
    static boolean isName(String group) {
        return group.matches("[a-zA-Z][a-zA-Z0-9]*");
    }

    /** How many capturing groups the pattern has. */
    static int count(Pattern pattern) {
        return pattern.matcher("").groupCount();
    }

    /** Whether the pattern has the group, named or numbered (from 1). */
    static boolean has(Pattern pattern, String group) {
        if (isNumber(group)) {
            return group.length() < 10 && Integer.parseInt(group) >= 1 && Integer.parseInt(group) <= count(pattern);
        }
        // Java 17 does not say which names a pattern has; defining the name a second time fails exactly when it has
        // it. Defined first, so that nothing the pattern leaves open at its end (a \Q, a (?x) comment) swallows it.
        try {
            Pattern.compile("(?<" + group + ">)" + pattern.pattern());
            return false;
        } catch (PatternSyntaxException e) {
            return e.getDescription().contains("already defined");
        }
    }
}

using System;
using System.Collections.Generic;

namespace NhiGuard.Detection;

/// <summary>
/// Decides which regex engine suits a pattern. Measured on the catalog over 8 MB of source and
/// config: rules whose matches all begin with a literal run 2x faster in the backtracking
/// interpreter (no build cost, a vectorized search for the literal, little work per candidate);
/// rules without such a literal (generic assignments, Azure identifiable keys) run 10x faster
/// under NonBacktracking, whose build cost and memory are then worth paying. A repeated group
/// (the shape of catastrophic backtracking) always goes to NonBacktracking; the interpreter
/// runs under a timeout in any case.
/// </summary>
internal static class RegexShape
{
    private const int MinimumLiteral = 3;

    public static bool SuitsInterpreter(string pattern) => StartsWithLiteral(pattern) && !HasUnboundedGroupQuantifier(pattern);

    internal static bool StartsWithLiteral(string p)
    {
        int i = 0;
        while (i < p.Length)
        {
            if (At(p, i, "^"))
            {
                i += 1;
            }
            else if (At(p, i, @"\b"))
            {
                i += 2;
            }
            else if (At(p, i, "(?i)"))
            {
                i += 4;
            }
            else if (At(p, i, "(?<") && p.IndexOf('>', i) is int close && close > i)
            {
                i = close + 1;
            }
            else
            {
                break;
            }
        }

        // A group of alternatives, each starting with a literal: (?:AKIA|ASIA), (?i:datadog|dd_api).
        if (At(p, i, "(?:") || At(p, i, "(?i:"))
        {
            int open = At(p, i, "(?:") ? 3 : 4;
            int end = ClosingParenthesis(p, i);
            if (end < 0)
            {
                return false;
            }

            foreach (string alternative in SplitTopLevel(p.Substring(i + open, end - i - open)))
            {
                if (!StartsWithLiteral(alternative))
                {
                    return false;
                }
            }

            return true;
        }

        int literal = LiteralLength(p, i);

        // A literal's last character followed by '?', '*' or '{0' is optional after all.
        int after = i + literal;
        bool optionalLast = after < p.Length && (p[after] == '?' || p[after] == '*' || At(p, after, "{0"));
        return (optionalLast ? literal - 1 : literal) >= MinimumLiteral;
    }

    private static int ClosingParenthesis(string p, int open)
    {
        foreach ((int index, char c, int depth) in Structure(p, open))
        {
            if (c == ')' && depth == 0)
            {
                return index;
            }
        }

        return -1;
    }

    private static IEnumerable<string> SplitTopLevel(string body)
    {
        int from = 0;
        foreach ((int index, char c, int depth) in Structure(body, 0))
        {
            if (c == '|' && depth == 0)
            {
                yield return body.Substring(from, index - from);
                from = index + 1;
            }
        }

        yield return body.Substring(from);
    }

    /// <summary>The pattern's characters outside escapes and character classes, with the group depth after each.</summary>
    private static IEnumerable<(int Index, char Char, int Depth)> Structure(string p, int start)
    {
        int depth = 0;
        bool inClass = false;
        for (int i = start; i < p.Length; i++)
        {
            char c = p[i];
            if (c == '\\')
            {
                i++;
            }
            else if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
            }
            else
            {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                yield return (i, c, depth);
            }
        }
    }

    private static int LiteralLength(string p, int start)
    {
        int i = start;
        while (i < p.Length)
        {
            char c = p[i];
            if (char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '/' || c == ':' || c == '=' || c == '@' || c == '%' || c == ',' || c == '~' || c == '!' || c == '#' || c == '&' || c == '\'' || c == '"' || c == '<' || c == '>')
            {
                i++;
            }
            else if (c == '\\' && i + 1 < p.Length && "./-+*?()[]{}$^|".IndexOf(p[i + 1]) >= 0)
            {
                i += 2;
            }
            else
            {
                break;
            }
        }

        return i - start;
    }

    // (x+)+, (a|b)*: a repeated group is where backtracking turns exponential; a repeated
    // character or class after a literal costs at most the rest of the line per candidate.
    internal static bool HasUnboundedGroupQuantifier(string p)
    {
        bool inClass = false;
        for (int i = 0; i < p.Length; i++)
        {
            char c = p[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == '#' && p.StartsWith("(?x", StringComparison.Ordinal))
            {
                // Comments of (?x) patterns say nothing about quantifiers.
                int newline = p.IndexOf('\n', i);
                i = newline < 0 ? p.Length : newline;
            }
            else if (c == ')' && i + 1 < p.Length)
            {
                char q = p[i + 1];
                if (q == '*' || q == '+')
                {
                    return true;
                }

                int close = q == '{' ? p.IndexOf('}', i + 1) : -1;
                if (close > i && p[close - 1] == ',')
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether a match may stretch over many lines: [\s\S], (?s), or a quantifier of a thousand or more.</summary>
    internal static bool MaySpanFar(string p) =>
        p.IndexOf(@"[\s\S]", StringComparison.Ordinal) >= 0
        || p.IndexOf(@"[\S\s]", StringComparison.Ordinal) >= 0
        || System.Text.RegularExpressions.Regex.IsMatch(p, @"\(\?[imnx-]*s[imnsx-]*[:)]|\{\d*,?\d{4,}\}");

    private static bool At(string p, int i, string s) => string.CompareOrdinal(p, i, s, 0, s.Length) == 0;
}

using System.Text;
using System.Text.RegularExpressions;

namespace NhiGuard.Detection;

/// <summary>
/// gitignore-style globs over '/'-separated relative paths: <c>**</c> spans folders, <c>*</c> and
/// <c>?</c> stay within one, <c>{a,b}</c> is either; a glob without '/' matches the file name in any folder.
/// </summary>
public sealed class Glob
{
    // The glob as tokens, matched by hand: no regex to build, and no backtracking engine trying
    // "(?:.*/)?" at every folder (a few microseconds a path, which a history of thousands of
    // paths paid for every glob). ToRegex states the same meaning; the tests hold them equal.
    private readonly Token[] _tokens;

    public Glob(string pattern)
    {
        Pattern = pattern;
        _tokens = Tokenize(pattern);
    }

    public string Pattern { get; }

    public bool IsMatch(string path)
    {
        int budget = MatchBudget;
        return Match(0, path, 0, ref budget);
    }

    private enum Kind
    {
        Literal,
        AnyInFolder,      // *
        OneInFolder,      // ?
        AnyFolders,       // **/ (zero or more whole folders)
        Anything,         // ** not before '/'
        Either,           // {a,b}
    }

    private readonly struct Token(Kind kind, char literal = '\0', string[]? options = null)
    {
        public Kind Kind { get; } = kind;
        public char Literal { get; } = literal;
        public string[] Options { get; } = options ?? [];
    }

    // A pathological glob (many stars) on a long path gives up rather than search forever: no match.
    private const int MatchBudget = 100_000;

    // The glob with its '/' normalized: anchored (matched from the root) when it names a folder,
    // else matched below any folder; a trailing '/' means everything below.
    private static string Normalize(string glob, out bool anchored)
    {
        string g = glob.Replace('\\', '/');
        anchored = g.IndexOf('/') >= 0 && !g.StartsWith("**/", System.StringComparison.Ordinal);
        if (g.StartsWith("/", System.StringComparison.Ordinal))
        {
            g = g.Substring(1);
        }
        else if (!anchored && g.StartsWith("**/", System.StringComparison.Ordinal))
        {
            // What matching below any folder already says.
            g = g.Substring(3);
        }

        return g.EndsWith("/", System.StringComparison.Ordinal) ? g + "**" : g;
    }

    private static Token[] Tokenize(string glob)
    {
        string g = Normalize(glob, out bool anchored);
        var tokens = new System.Collections.Generic.List<Token>();
        if (!anchored)
        {
            tokens.Add(new Token(Kind.AnyFolders));
        }

        for (int i = 0; i < g.Length; i++)
        {
            char c = g[i];
            if (c == '*' && i + 1 < g.Length && g[i + 1] == '*')
            {
                bool slash = i + 2 < g.Length && g[i + 2] == '/';
                tokens.Add(new Token(slash ? Kind.AnyFolders : Kind.Anything));
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                tokens.Add(new Token(Kind.AnyInFolder));
            }
            else if (c == '?')
            {
                tokens.Add(new Token(Kind.OneInFolder));
            }
            else if (c == '{' && g.IndexOf('}', i) is int close && close > i)
            {
                tokens.Add(new Token(Kind.Either, options: g.Substring(i + 1, close - i - 1).Split(',')));
                i = close;
            }
            else
            {
                tokens.Add(new Token(Kind.Literal, c));
            }
        }

        return tokens.ToArray();
    }

    // Whether the tokens from t on match the path from p on; past the last token, the path may
    // go on below a matched folder ("tests/" matches "tests/x.cs").
    private bool Match(int t, string path, int p, ref int budget)
    {
        while (true)
        {
            if (--budget < 0)
            {
                return false;
            }

            if (t == _tokens.Length)
            {
                return p == path.Length || path[p] == '/';
            }

            Token token = _tokens[t];
            switch (token.Kind)
            {
                case Kind.Literal:
                    if (p == path.Length || path[p] != token.Literal)
                    {
                        return false;
                    }

                    (t, p) = (t + 1, p + 1);
                    continue;
                case Kind.OneInFolder:
                    if (p == path.Length || path[p] == '/')
                    {
                        return false;
                    }

                    (t, p) = (t + 1, p + 1);
                    continue;
                case Kind.AnyInFolder:
                    for (int k = p; ; k++)
                    {
                        if (Match(t + 1, path, k, ref budget))
                        {
                            return true;
                        }

                        if (k == path.Length || path[k] == '/' || budget < 0)
                        {
                            return false;
                        }
                    }

                case Kind.Anything:
                    for (int k = p; k <= path.Length && budget >= 0; k++)
                    {
                        if (Match(t + 1, path, k, ref budget))
                        {
                            return true;
                        }
                    }

                    return false;
                case Kind.AnyFolders:
                    if (Match(t + 1, path, p, ref budget))
                    {
                        return true;
                    }

                    for (int k = path.IndexOf('/', p); k >= 0 && budget >= 0; k = path.IndexOf('/', k + 1))
                    {
                        if (Match(t + 1, path, k + 1, ref budget))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    foreach (string option in token.Options)
                    {
                        if (p + option.Length <= path.Length && string.CompareOrdinal(path, p, option, 0, option.Length) == 0
                            && Match(t + 1, path, p + option.Length, ref budget))
                        {
                            return true;
                        }
                    }

                    return false;
            }
        }
    }

    /// <summary>The glob as a regex: what <see cref="IsMatch"/> means, spelled out (and checked against it in the tests).</summary>
    internal static string ToRegex(string glob)
    {
        string g = Normalize(glob, out bool anchored);
        var sb = new StringBuilder(anchored ? "^" : "^(?:.*/)?");
        for (int i = 0; i < g.Length; i++)
        {
            char c = g[i];
            if (c == '*')
            {
                if (i + 1 < g.Length && g[i + 1] == '*')
                {
                    bool slash = i + 2 < g.Length && g[i + 2] == '/';
                    sb.Append(slash ? "(?:.*/)?" : ".*");
                    i += slash ? 2 : 1;
                }
                else
                {
                    sb.Append("[^/]*");
                }
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else if (c == '{' && g.IndexOf('}', i) is int close && close > i)
            {
                // {p12,pfx}: alternatives.
                string[] options = g.Substring(i + 1, close - i - 1).Split(',');
                sb.Append("(?:");
                for (int o = 0; o < options.Length; o++)
                {
                    sb.Append(o > 0 ? "|" : "").Append(Regex.Escape(options[o]));
                }

                sb.Append(')');
                i = close;
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }

        sb.Append("(?:/.*)?$");
        return sb.ToString();
    }
}

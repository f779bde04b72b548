using System.Text;
using System.Text.RegularExpressions;

namespace NhiGuard.Detection;

/// <summary>
/// gitignore-style globs over '/'-separated relative paths: <c>**</c> spans folders, <c>*</c> and
/// <c>?</c> stay within one, <c>{a,b}</c> is either; a glob without '/' matches the file name in any folder.
/// </summary>
public sealed class Glob
{
    private readonly Regex _regex;

    public Glob(string pattern)
    {
        Pattern = pattern;
#if NET
        // Linear: the backtracking engine tried "(?:.*/)?" at every folder of every path, a few
        // microseconds a path, which a history of thousands of paths pays for every glob.
        _regex = new Regex(ToRegex(pattern), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
#else
        _regex = new Regex(ToRegex(pattern), RegexOptions.CultureInvariant);
#endif
    }

    public string Pattern { get; }

    public bool IsMatch(string path) => _regex.IsMatch(path);

    internal static string ToRegex(string glob)
    {
        string g = glob.Replace('\\', '/');
        bool anchored = g.IndexOf('/') >= 0 && !g.StartsWith("**/", System.StringComparison.Ordinal);
        if (g.StartsWith("/", System.StringComparison.Ordinal))
        {
            g = g.Substring(1);
        }
        else if (!anchored && g.StartsWith("**/", System.StringComparison.Ordinal))
        {
            // What the unanchored prefix already says.
            g = g.Substring(3);
        }

        if (g.EndsWith("/", System.StringComparison.Ordinal))
        {
            g += "**";
        }

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

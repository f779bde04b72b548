using System.Text;

namespace NhiGuard.Scanner.Config;

/// <summary>
/// .env files (<c>.env</c>, <c>.env.*</c>, <c>*.env</c>): <c>KEY=value</c>, <c>export KEY=value</c>, single-,
/// double- (with escapes) and backtick-quoted values that may span lines, and <c># comments</c>.
/// </summary>
internal sealed class DotEnvConfigFormat : IConfigFormat
{
    public static readonly DotEnvConfigFormat Instance = new();

    public bool Handles(string relativePath)
    {
        string name = ConfigText.FileName(relativePath);
        return name.Equals(".env", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith(".env.", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".env", StringComparison.OrdinalIgnoreCase);
    }

    public IReadOnlyList<ConfigEntry> Read(string text)
    {
        var entries = new EntryList();
        if (text.Length > ConfigText.MaxLength)
        {
            return entries.Entries;
        }

        // Where a search for a closing quote failed: no later search for that quote can succeed (keeps this linear).
        var unclosed = new Dictionary<char, int>();
        int i = 0;
        while (i < text.Length && !entries.Full)
        {
            int lineEnd = ConfigText.LineEnd(text, i);
            int resume = ReadLine(text, i, lineEnd, unclosed, entries);
            i = ConfigText.NextLine(text, Math.Max(resume, lineEnd));
        }

        return entries.Entries;
    }

    /// <summary>Reads one assignment; returns the line end after which reading resumes (later for multi-line values).</summary>
    private static int ReadLine(string text, int lineStart, int lineEnd, Dictionary<char, int> unclosed, EntryList entries)
    {
        int j = SkipBlanks(text, lineStart, lineEnd);
        if (j >= lineEnd || text[j] == '#')
        {
            return lineEnd;
        }

        if (text.AsSpan(j, lineEnd - j).StartsWith("export") && j + 6 < lineEnd && text[j + 6] is ' ' or '\t')
        {
            j = SkipBlanks(text, j + 6, lineEnd);
        }

        int equals = text.IndexOf('=', j, lineEnd - j);
        if (equals < 0)
        {
            return lineEnd;
        }

        string key = text[j..equals].TrimEnd();
        if (key.Length == 0 || key.AsSpan().IndexOfAny(' ', '\t') >= 0)
        {
            return lineEnd;
        }

        int v = SkipBlanks(text, equals + 1, lineEnd);
        if (v < lineEnd && text[v] is '"' or '\'' or '`')
        {
            char quote = text[v];
            int close = unclosed.TryGetValue(quote, out int failedAt) && v >= failedAt ? -1 : FindClose(text, v + 1, quote);
            if (close >= 0)
            {
                string raw = text.Substring(v + 1, close - v - 1);
                entries.Add(new ConfigEntry(key, quote == '"' ? Unescape(raw) : raw, v + 1, raw.Length));
                return ConfigText.LineEnd(text, close);
            }

            unclosed[quote] = v;
            v++; // an unterminated quote: the rest of the line is the value
        }
        else
        {
            // An unquoted value ends at a '#' that follows whitespace.
            for (int k = v; k < lineEnd; k++)
            {
                if (text[k] == '#' && (k == v ? k > equals + 1 : text[k - 1] is ' ' or '\t'))
                {
                    lineEnd = k;
                    break;
                }
            }
        }

        (int start, int end) = ConfigText.TrimSpan(text, v, lineEnd);
        entries.Add(new ConfigEntry(key, text[start..end], start, end - start));
        return ConfigText.LineEnd(text, lineEnd);
    }

    private static int FindClose(string text, int from, char quote)
    {
        for (int k = from; k < text.Length; k++)
        {
            if (text[k] == quote)
            {
                return k;
            }

            if (text[k] == '\\' && quote == '"')
            {
                k++;
            }
        }

        return -1;
    }

    private static string Unescape(string raw)
    {
        if (!raw.Contains('\\', StringComparison.Ordinal))
        {
            return raw;
        }

        var sb = new StringBuilder(raw.Length);
        for (int k = 0; k < raw.Length; k++)
        {
            if (raw[k] != '\\' || k + 1 >= raw.Length)
            {
                sb.Append(raw[k]);
                continue;
            }

            char e = raw[++k];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case '"' or '\\' or '$' or '`': sb.Append(e); break;
                default: sb.Append('\\').Append(e); break;
            }
        }

        return sb.ToString();
    }

    private static int SkipBlanks(string text, int i, int end)
    {
        while (i < end && text[i] is ' ' or '\t' or '\uFEFF')
        {
            i++;
        }

        return i;
    }
}

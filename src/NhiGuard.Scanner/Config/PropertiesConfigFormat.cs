using System.Globalization;
using System.Text;

namespace NhiGuard.Scanner.Config;

/// <summary>
/// Java .properties: <c>key=value</c>, <c>key: value</c> or <c>key value</c>, <c># !</c> comments, backslash
/// escapes (<c>\uXXXX</c>) and lines continued with a trailing backslash.
/// </summary>
internal sealed class PropertiesConfigFormat : IConfigFormat
{
    public static readonly PropertiesConfigFormat Instance = new();

    public bool Handles(string relativePath) =>
        ConfigText.FileName(relativePath).EndsWith(".properties", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<ConfigEntry> Read(string text)
    {
        var entries = new EntryList();
        if (text.Length > ConfigText.MaxLength)
        {
            return entries.Entries;
        }

        int i = 0;
        while (i < text.Length && !entries.Full)
        {
            int lineEnd = ConfigText.LineEnd(text, i);
            int j = SkipBlanks(text, i, lineEnd);
            if (j >= lineEnd || text[j] is '#' or '!')
            {
                i = ConfigText.NextLine(text, lineEnd);
                continue;
            }

            // The key runs to the first unescaped '=', ':' or blank.
            var key = new StringBuilder();
            int k = j;
            while (k < lineEnd && text[k] is not ('=' or ':' or ' ' or '\t' or '\f'))
            {
                k = Unescape(text, k, lineEnd, key);
            }

            int v = SkipBlanks(text, k, lineEnd);
            if (v < lineEnd && text[v] is '=' or ':')
            {
                v = SkipBlanks(text, v + 1, lineEnd);
            }

            // The value runs to the line end, joined with continuation lines (leading blanks dropped).
            var value = new StringBuilder();
            int end = lineEnd;
            k = v;
            while (true)
            {
                while (k < end)
                {
                    if (text[k] == '\\' && k + 1 == end)
                    {
                        break;
                    }

                    k = Unescape(text, k, end, value);
                }

                if (k >= end || end >= text.Length)
                {
                    break;
                }

                k = SkipBlanks(text, ConfigText.NextLine(text, end), text.Length);
                end = ConfigText.LineEnd(text, k);
            }

            (int start, int stop) = ConfigText.TrimSpan(text, v, Math.Max(v, end));
            entries.Add(new ConfigEntry(key.ToString(), value.ToString().TrimEnd(), start, stop - start));
            i = ConfigText.NextLine(text, end);
        }

        return entries.Entries;
    }

    /// <summary>Appends the (possibly escaped) char at <paramref name="k"/>; returns the index after it.</summary>
    private static int Unescape(string text, int k, int end, StringBuilder sb)
    {
        if (text[k] != '\\' || k + 1 >= end)
        {
            sb.Append(text[k]);
            return k + 1;
        }

        char e = text[k + 1];
        switch (e)
        {
            case 't': sb.Append('\t'); break;
            case 'n': sb.Append('\n'); break;
            case 'r': sb.Append('\r'); break;
            case 'f': sb.Append('\f'); break;
            case 'u' when k + 6 <= end && ushort.TryParse(text.AsSpan(k + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code):
                sb.Append((char)code);
                return k + 6;
            default: sb.Append(e); break;
        }

        return k + 2;
    }

    private static int SkipBlanks(string text, int i, int end)
    {
        while (i < end && text[i] is ' ' or '\t' or '\f' or '\uFEFF')
        {
            i++;
        }

        return i;
    }
}

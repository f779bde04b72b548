using System.Buffers;
using System.Globalization;
using System.Text;

namespace NhiGuard.Scanner.Reports;

/// <summary>
/// Text that came from what was scanned (a path, a key name, a commit's author, a custom rule's
/// title) as it may be shown on a terminal: control characters and bidirectional-text controls
/// escaped, so that a file name cannot split a report's lines, move the cursor or recolour the
/// screen to hide a finding, or reorder what the reader sees ("Trojan Source"). JSON and SARIF
/// escape control characters by themselves and keep the text exact.
/// </summary>
public static class Printable
{
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Select(c => (char)c))
        + string.Concat(Enumerable.Range(0x7F, 0x21).Select(c => (char)c))
        + "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    public static string Of(string text)
    {
        int first = text.AsSpan().IndexOfAny(Unsafe);
        if (first < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16).Append(text, 0, first);
        foreach (char ch in text.AsSpan(first))
        {
            if (!Unsafe.Contains(ch))
            {
                sb.Append(ch);
                continue;
            }

            sb.Append(ch switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => "\\u" + ((int)ch).ToString("x4", CultureInfo.InvariantCulture),
            });
        }

        return sb.ToString();
    }
}

using System.Text;

namespace NhiGuard.Scanner.Config;

/// <summary>Helpers shared by the configuration readers.</summary>
internal static class ConfigText
{
    /// <summary>Structure is not read above 5 M chars: real config files are far smaller, and the raw-text scan still covers the file.</summary>
    public const int MaxLength = 5 * 1024 * 1024;

    /// <summary>Nesting deeper than this stops a reader: no real config nests so deep, and it bounds key length.</summary>
    public const int MaxDepth = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The last segment of a '/'-separated path (a '\' is accepted too).</summary>
    public static string FileName(string relativePath)
    {
        int slash = relativePath.AsSpan().LastIndexOfAny('/', '\\');
        return slash < 0 ? relativePath : relativePath[(slash + 1)..];
    }

    /// <summary>Decodes standard base64 (padding optional) holding UTF-8 text; false for anything else.</summary>
    public static bool TryDecodeBase64Utf8(string encoded, out string decoded)
    {
        decoded = "";
        string s = encoded.Trim();
        switch (s.Length % 4)
        {
            case 1:
                return false;
            case 2:
                s += "==";
                break;
            case 3:
                s += "=";
                break;
        }

        var bytes = new byte[s.Length / 4 * 3];
        if (!Convert.TryFromBase64String(s, bytes, out int written))
        {
            return false;
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, written);
            return true;
        }
        catch (DecoderFallbackException)
        {
            // Binary payloads (keystores, certificates in DER) are left to the raw-text scan.
            return false;
        }
    }

    /// <summary>The index of the line break ending the line that contains <paramref name="from"/>, or the text's length.</summary>
    public static int LineEnd(string text, int from)
    {
        int end = text.AsSpan(from).IndexOfAny('\r', '\n');
        return end < 0 ? text.Length : from + end;
    }

    /// <summary>The start of the next line, given the index of a line break (or the text's length).</summary>
    public static int NextLine(string text, int lineEnd)
    {
        if (lineEnd >= text.Length)
        {
            return text.Length;
        }

        return text[lineEnd] == '\r' && lineEnd + 1 < text.Length && text[lineEnd + 1] == '\n' ? lineEnd + 2 : lineEnd + 1;
    }

    /// <summary>Trims spaces and tabs from both ends of [start, end), returning the trimmed bounds.</summary>
    public static (int Start, int End) TrimSpan(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return (start, end);
    }

    /// <summary>Strips one pair of matching quotes ('…' or "…") from [start, end).</summary>
    public static (int Start, int End) Unquote(string text, int start, int end)
    {
        if (end - start >= 2 && (text[start] == '"' || text[start] == '\'') && text[end - 1] == text[start])
        {
            return (start + 1, end - 1);
        }

        return (start, end);
    }
}

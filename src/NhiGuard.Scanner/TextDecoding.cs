using System.Text;

namespace NhiGuard.Scanner;

/// <summary>Turns file bytes into text: BOMs honoured, UTF-8 otherwise, binary detected by a NUL byte.</summary>
internal static class TextDecoding
{
    private const int SniffLength = 8000;
    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

    /// <summary>Whether the bytes look binary: a NUL in the first 8000 bytes (as git decides), unless a UTF-16 BOM says otherwise.</summary>
    public static bool IsBinary(ReadOnlySpan<byte> bytes)
    {
        if (HasUtf16Bom(bytes))
        {
            return false;
        }

        return bytes[..Math.Min(bytes.Length, SniffLength)].IndexOf((byte)0) >= 0;
    }

    public static string Decode(byte[] bytes) => Decode((ReadOnlySpan<byte>)bytes);

    public static string Decode(ReadOnlySpan<byte> span)
    {
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Utf8.GetString(span[3..]);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(span[2..]);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(span[2..]);
        }

        return Utf8.GetString(span);
    }

    private static bool HasUtf16Bom(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
}
